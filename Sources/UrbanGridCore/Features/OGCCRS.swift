import Foundation

/// A coordinate reference system as OGC API - Features Part 2 names it: the CRS84 URI or an
/// `http://www.opengis.net/def/crs/EPSG/0/{code}` URI (the short `EPSG:{code}` is accepted too).
///
/// `srid` is the EPSG code SpatiaLite stores; CRS84 is EPSG:4326 with longitude first.
public struct OGCCRS: Hashable, Sendable, CustomStringConvertible {
    public let srid: Int
    /// True only for CRS84: longitude/latitude order whatever the EPSG definition says.
    public let isCRS84: Bool

    public static let crs84 = OGCCRS(srid: 4326, isCRS84: true)
    public static let crs84URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    static let epsgPrefix = "http://www.opengis.net/def/crs/EPSG/0/"

    public static func epsg(_ srid: Int) -> OGCCRS { OGCCRS(srid: srid, isCRS84: false) }

    init(srid: Int, isCRS84: Bool) { self.srid = srid; self.isCRS84 = isCRS84 }

    /// Parses a CRS URI (also `[EPSG:4326]` safe-CURIE and `EPSG:4326`); nil when it is not one.
    public init?(uri raw: String) {
        var text = raw.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if text == Self.crs84URI || text == "https://www.opengis.net/def/crs/OGC/1.3/CRS84" || text == "OGC:CRS84" {
            self = .crs84; return
        }
        let code: Substring
        if text.hasPrefix(Self.epsgPrefix) {
            code = text.dropFirst(Self.epsgPrefix.count)
        } else if text.hasPrefix("EPSG:") {
            code = text.dropFirst(5)
        } else {
            return nil
        }
        guard !code.isEmpty, code.count <= 6, code.allSatisfy(\.isASCIIDigit), let srid = Int(code), srid > 0 else { return nil }
        self = .epsg(srid)
    }

    /// The canonical URI, as listed in `crs` and sent in `Content-Crs`.
    public var uri: String { isCRS84 ? Self.crs84URI : Self.epsgPrefix + String(srid) }
    public var description: String { uri }
}


