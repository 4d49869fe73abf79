/// How near and how recent an open case of the same type must be for intake to suggest it as a
/// likely duplicate (疑似重复), per type: a pile of garbage is cleared within hours and a parked car
/// moves, while road damage stays until repaired and a construction site covers a block.
///
/// Read from the `duplicates` object of a city's `dispatch-rules.json`:
/// `{"events": {"06010": {"radius_m": 50, "window_hours": 48}, "07": {...}}, "components": {...}}`.
/// A key is a 5-digit type code or a 2-digit major class (大类); the code wins over its class, and a
/// type with neither uses the server's defaults (`IntakeSettings`).
public struct DuplicateWindows: Codable, Sendable, Equatable {
    public struct Window: Codable, Sendable, Equatable {
        public var radiusM: Double
        public var windowHours: Double
        public init(radiusM: Double, windowHours: Double) { self.radiusM = radiusM; self.windowHours = windowHours }
        enum CodingKeys: String, CodingKey { case radiusM = "radius_m", windowHours = "window_hours" }
    }

    public var events: [String: Window]
    public var components: [String: Window]

    public init(events: [String: Window] = [:], components: [String: Window] = [:]) {
        self.events = events; self.components = components
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        events = try c.decodeIfPresent([String: Window].self, forKey: .events) ?? [:]
        components = try c.decodeIfPresent([String: Window].self, forKey: .components) ?? [:]
    }

    /// The window of a type: its own, else its major class's, else nil (the server's defaults).
    public func window(kind: CaseKind, code: String) -> Window? {
        let table = kind == .component ? components : events
        return table[code] ?? table[String(code.prefix(2))]
    }

    /// Largest radius accepted: the search reads the index cells around the point, and a suggestion
    /// farther away than this is no longer "the same problem".
    public static let maxRadiusM = 1_000.0

    /// Every problem: keys that are neither 5-digit codes nor 2-digit classes, codes not in the
    /// catalogue (when given), radii outside (0, 1000] m, windows that are not positive.
    public func problems(componentCodes: Set<String>? = nil, matterCodes: Set<String>? = nil) -> [String] {
        var out: [String] = []
        for (name, table, known) in [("events", events, matterCodes), ("components", components, componentCodes)] {
            for (key, w) in table.sorted(by: { $0.key < $1.key }) {
                let at = "duplicates.\(name).\(key)"
                if !(key.count == 5 || key.count == 2) || !key.allSatisfy(\.isASCIIDigit) {
                    out.append("\(at): not a 5-digit code or a 2-digit class")
                } else if key.count == 5, let known, !known.contains(key) {
                    out.append("\(at): code not in the catalogue")
                }
                if !(w.radiusM > 0 && w.radiusM <= Self.maxRadiusM) { out.append("\(at): radius_m must be in (0, 1000]") }
                if !(w.windowHours > 0 && w.windowHours.isFinite) { out.append("\(at): window_hours must be positive") }
            }
        }
        return out
    }
}
