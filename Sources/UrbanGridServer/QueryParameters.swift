import Foundation
import Hummingbird
import UrbanGridCore

/// Typed access to a request's query string that answers every mistake with a 400 naming the
/// parameter, and rejects parameters the endpoint does not know.
struct QueryParameters {
    let values: [String: String]

    init(_ request: Request, allowed: Set<String>) throws {
        var out: [String: String] = [:]
        for (k, value) in try Self.pairs(request) {
            guard allowed.contains(k) else {
                throw Problem.invalidParameter(k, "unknown parameter '\(k)'; allowed: \(allowed.sorted().joined(separator: ", "))",
                                               "未知参数 '\(k)'")
            }
            guard out[k] == nil else {
                throw Problem.invalidParameter(k, "parameter '\(k)' given more than once", "参数 '\(k)' 重复")
            }
            out[k] = value
        }
        values = out
    }

    /// The query as form-encoded pairs: `+` is a space (as browsers, requests and OWSLib send
    /// it), `%2B` a plus. Bad percent-encoding is a 400.
    static func pairs(_ request: Request) throws -> [(String, String)] {
        guard let query = request.uri.query, !query.isEmpty else { return [] }
        return try query.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) throws -> String {
                // Most parameters (numbers, codes) need no decoding: skip Foundation's copies.
                guard s.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(s) }
                guard let text = s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw Problem.invalidParameter(String(kv[0]), "malformed percent-encoding in the query string", "查询字符串编码错误")
                }
                return text
            }
            return (try decode(kv[0]), kv.count > 1 ? try decode(kv[1]) : "")
        }
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

    /// A standard code (grid, community, street, type…), checked for length and digits: the
    /// problem names the parameter and the segment at fault.
    func code<C: StandardCode>(_ name: String, _ type: C.Type) throws -> String? {
        guard let raw = string(name) else { return nil }
        do { return try C(raw).description } catch {
            throw Problem.invalidParameter(name, "\(name): \(error.message)", "参数 '\(name)':\(error.messageZh)")
        }
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
