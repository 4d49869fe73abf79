// Placeholder until the CQL2 compiler (branch cql2) lands: the queryable types it defines.
public enum QueryableType: String, Sendable { case string, number, integer, boolean, date, timestamp, geometry }

public struct Queryable: Sendable {
    public var name: String
    public var column: String
    public var type: QueryableType
    public init(name: String, column: String, type: QueryableType) { self.name = name; self.column = column; self.type = type }
}
import GRDB
import UrbanGridCore
public struct CQL2CompileError: Error, Equatable, Sendable { public var position: Int?; public var message: String }
public struct CQL2SQLCompiler: Sendable {
    public init(queryables: [String: Queryable], table: String, alias: String, geometryColumn: String, storageSrid: Int, filterSrid: Int) {}
    public func compile(_ expression: CQL2Expression) throws(CQL2CompileError) -> (sql: String, arguments: StatementArguments) {
        throw CQL2CompileError(position: nil, message: "not yet")
    }
}
