import Foundation
import Logging

/// PostgreSQL types as Redshift columns (`rrr schema`; the table in the README, "Generating the
/// Redshift tables"). Reads the declared type as `format_type` prints it, a domain resolved to its
/// base type. Text lengths are characters in PostgreSQL and bytes in Redshift: `varchar(n)` needs
/// up to 4n bytes of UTF-8.
enum PostgresTypeMapping {
    static func redshiftType(_ column: SourceColumnDefinition) -> RedshiftColumnType? {
        if let labelBytes = column.enumLabelBytes { return .varchar(bytes: max(labelBytes, 1)) }
        let declared = column.declaredType.trimmingCharacters(in: .whitespaces)
        // Arrays leave as their text form (`{1,2}`), which is not JSON: text.
        if declared.hasSuffix("]") { return .longVarchar }
        let type = DeclaredType(declared)
        switch type.name {
        case "smallint": return .smallint
        case "integer": return .integer
        case "bigint", "oid": return .bigint
        case "real": return .real
        case "double precision": return .doublePrecision
        case "numeric": return NumericMapping.decimal(precision: type.modifiers.first, scale: type.modifiers.count > 1 ? type.modifiers[1] : 0)
        case "boolean": return .boolean
        case "character varying", "character", "bpchar":
            return type.length.map { RedshiftColumnType.utf8Varchar(characters: $0) } ?? .longVarchar
        case "text", "citext", "xml", "name", "tsvector": return .longVarchar
        case "\"char\"": return .varchar(bytes: 4)
        case "uuid": return .varchar(bytes: 36)
        case "json", "jsonb": return .super
        case "bytea": return .varbyte(bytes: RedshiftColumnType.maxVarbyteBytes)
        case "date": return .date
        case "timestamp without time zone": return .timestamp
        case "timestamp with time zone": return .timestamptz
        case "time without time zone": return .time
        case "time with time zone": return .timetz
        case "interval": return .varchar(bytes: 128)
        case "inet", "cidr": return .varchar(bytes: 43)
        case "macaddr": return .varchar(bytes: 17)
        case "macaddr8": return .varchar(bytes: 23)
        case "bit", "bit varying": return type.length.map { RedshiftColumnType.varchar(bytes: $0) } ?? .longVarchar
        default:
            // An extension's type, e.g. `public.citext`.
            if type.name.hasSuffix(".citext") { return .longVarchar }
            return nil
        }
    }
}

/// DECIMAL from a declared precision and scale, shared by the sources.
enum NumericMapping {
    /// The scale given to a NUMERIC declared without precision (PostgreSQL's unconstrained
    /// `numeric`, SQLite's `NUMERIC`): DECIMAL(38,9), the widest precision with nine decimals;
    /// COPY truncates values with more decimals (rounds them with `ROUNDEC` in `copy_options`).
    static let unconstrained = RedshiftColumnType.decimal(precision: RedshiftColumnType.maxDecimalPrecision, scale: 9)

    /// `DECIMAL(precision, scale)`; `nil` (no mapping) when the precision passes Redshift's 38.
    static func decimal(precision: Int?, scale: Int) -> RedshiftColumnType? {
        guard let precision else { return unconstrained }
        guard precision <= RedshiftColumnType.maxDecimalPrecision, scale >= 0, scale <= precision else { return nil }
        return .decimal(precision: precision, scale: scale)
    }
}

extension PostgresSource: SchemaSource {
    func columnDefinitions(of table: String, logger: Logger) async throws -> [SourceColumnDefinition] {
        let quoted = dialect.quoteQualified(table)
        let columns = try await shared.run(logger: logger) { try $0.columns(ofTable: quoted) }
        guard !columns.isEmpty else { throw SourceError(.tableNotFound, "source table `\(table)` does not exist") }
        return columns.map {
            SourceColumnDefinition(name: $0.name, declaredType: $0.baseDeclaredType.isEmpty ? $0.typeName : $0.baseDeclaredType,
                                   isNullable: $0.isNullable, enumLabelBytes: $0.enumLabelBytes)
        }
    }

    func redshiftType(for column: SourceColumnDefinition) -> RedshiftColumnType? { PostgresTypeMapping.redshiftType(column) }
}
