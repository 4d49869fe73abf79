import Foundation
import UrbanGridCore

/// The order of the queue: the worst alert light first (red, yellow, green, then cases with no
/// running clock), then the nearest deadline, then the case number, so equal cases keep a stable place.
public enum QueueOrder {
    public static func sorted(_ cases: some Sequence<CaseView>) -> [CaseView] {
        cases.sorted(by: precedes)
    }

    public static func precedes(_ a: CaseView, _ b: CaseView) -> Bool {
        let la = lightRank(a), lb = lightRank(b)
        if la != lb { return la > lb }
        let da = a.step?.deadline ?? .distantFuture, db = b.step?.deadline ?? .distantFuture
        if da != db { return da < db }
        if a.number != b.number { return a.number < b.number }
        return a.id < b.id
    }

    /// red 3, yellow 2, green 1, no clock 0.
    static func lightRank(_ c: CaseView) -> Int {
        switch c.step?.light {
        case .red: 3
        case .yellow: 2
        case .green: 1
        case nil: 0
        }
    }
}
