// Placeholder until branch cql2 lands (replaced by the real parser).
public struct CQL2SyntaxError: Error, Equatable, Sendable { public var position: Int; public var message: String }
public indirect enum CQL2Expression: Equatable, Sendable { case literal(Bool) }
public enum CQL2 {
    public static func parse(_ text: String) throws(CQL2SyntaxError) -> CQL2Expression {
        throw CQL2SyntaxError(position: 0, message: "CQL2 not yet available")
    }
}
