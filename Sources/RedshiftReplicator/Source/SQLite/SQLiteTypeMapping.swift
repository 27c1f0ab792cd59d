import Foundation
import Logging

/// SQLite declared types as Redshift columns (`rrr schema`), by SQLite's affinity rules in their
/// order (sqlite.org/datatype3.html, 3.1): `INT` -> INTEGER affinity (64-bit: BIGINT); `CHAR`,
/// `CLOB`, `TEXT` -> text (SQLite ignores declared lengths, so VARCHAR(65535)); `BLOB` -> VARBYTE,
/// no type -> text (the values' text form); `REAL`, `FLOA`, `DOUB` -> DOUBLE PRECISION. The
/// NUMERIC-affinity rest by name, as rrr's export reads them: `BOOL` -> BOOLEAN, `DATETIME` /
/// `TIMESTAMP` -> TIMESTAMP, `DATE`, `TIME`, `DECIMAL`/`NUMERIC(p,s)`, `JSON` -> SUPER, `UUID`.
enum SQLiteTypeMapping {
    static func redshiftType(_ column: SourceColumnDefinition) -> RedshiftColumnType? {
        let declared = column.declaredType.uppercased()
        if declared.contains("INT") { return .bigint }
        if declared.contains("CHAR") || declared.contains("CLOB") || declared.contains("TEXT") { return .longVarchar }
        if declared.contains("BLOB") { return .varbyte(bytes: RedshiftColumnType.maxVarbyteBytes) }
        if declared.trimmingCharacters(in: .whitespaces).isEmpty { return .longVarchar }
        if declared.contains("REAL") || declared.contains("FLOA") || declared.contains("DOUB") { return .doublePrecision }
        if declared.contains("BOOL") { return .boolean }
        if declared.contains("DATETIME") || declared.contains("TIMESTAMP") { return .timestamp }
        if declared.contains("DATE") { return .date }
        if declared.contains("TIME") { return .time }
        let type = DeclaredType(column.declaredType)
        if type.name.hasPrefix("decimal") || type.name.hasPrefix("numeric") {
            return NumericMapping.decimal(precision: type.modifiers.first, scale: type.modifiers.count > 1 ? type.modifiers[1] : 0)
        }
        if type.name == "json" || type.name == "jsonb" { return .super }
        if type.name == "uuid" { return .varchar(bytes: 36) }
        return nil
    }
}

extension SQLiteSource: SchemaSource {
    func columnDefinitions(of table: String, logger: Logger) async throws -> [SourceColumnDefinition] {
        try await columns(of: table, logger: logger).map { SourceColumnDefinition(name: $0.name, declaredType: $0.typeName, isNullable: $0.isNullable) }
    }

    func redshiftType(for column: SourceColumnDefinition) -> RedshiftColumnType? { SQLiteTypeMapping.redshiftType(column) }
}
