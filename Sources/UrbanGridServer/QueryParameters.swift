import Hummingbird
import UrbanGridCore

/// Typed access to a request's query string that answers every mistake with a 400 naming the
/// parameter, and rejects parameters the endpoint does not know.
struct QueryParameters {
    let values: [String: String]

    init(_ request: Request, allowed: Set<String>) throws {
        var out: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            let k = String(key)
            guard allowed.contains(k) else {
                throw Problem.invalidParameter(k, "unknown parameter '\(k)'; allowed: \(allowed.sorted().joined(separator: ", "))",
                                               "未知参数 '\(k)'")
            }
            guard out[k] == nil else {
                throw Problem.invalidParameter(k, "parameter '\(k)' given more than once", "参数 '\(k)' 重复")
            }
            out[k] = String(value)
        }
        values = out
    }

    func string(_ name: String) -> String? { values[name].flatMap { $0.isEmpty ? nil : $0 } }

    func requiredDouble(_ name: String) throws -> Double {
        guard let raw = string(name) else {
            throw Problem.invalidParameter(name, "parameter '\(name)' is required", "缺少参数 '\(name)'")
        }
        guard let v = Double(raw), v.isFinite else {
            throw Problem.invalidParameter(name, "'\(name)' must be a finite number, got '\(raw)'", "参数 '\(name)' 必须是有限数值")
        }
        return v
    }

    func double(_ name: String, default value: Double, in range: ClosedRange<Double>) throws -> Double {
        guard string(name) != nil else { return value }
        let v = try requiredDouble(name)
        guard range.contains(v) else {
            throw Problem.invalidParameter(name, "'\(name)' must be between \(range.lowerBound) and \(range.upperBound)",
                                           "参数 '\(name)' 超出范围 \(range.lowerBound)–\(range.upperBound)")
        }
        return v
    }

    func int(_ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let raw = string(name) else { return value }
        guard let v = Int(raw), range.contains(v) else {
            throw Problem.invalidParameter(name, "'\(name)' must be a whole number between \(range.lowerBound) and \(range.upperBound)",
                                           "参数 '\(name)' 必须是 \(range.lowerBound)–\(range.upperBound) 的整数")
        }
        return v
    }
}
