import Foundation
import Logging

/// MySQL/MariaDB types as Redshift columns (`rrr schema`), read from `information_schema.columns`'
/// `column_type` (`int(10) unsigned`, `enum('a','b')`). CHAR/VARCHAR lengths are characters:
/// up to 4 bytes each in UTF-8, which is what rrr exports (the session is utf8mb4).
enum MySQLTypeMapping {
    static func redshiftType(_ column: SourceColumnDefinition) -> RedshiftColumnType? {
        let type = DeclaredType(column.declaredType)
        let words = type.name.split(separator: " ").map(String.init)
        guard let base = words.first else { return nil }
        let unsigned = words.contains("unsigned")
        switch base {
        // TINYINT(1) is MySQL's BOOLEAN (`BOOL` is its alias), as Rails and most tools read it.
        case "tinyint": return type.length == 1 ? .boolean : .smallint
        case "bool", "boolean": return .boolean
        case "smallint": return unsigned ? .integer : .smallint
        case "mediumint": return .integer
        case "int", "integer": return unsigned ? .bigint : .integer
        case "bigint": return unsigned ? .decimal(precision: 20, scale: 0) : .bigint
        case "decimal", "numeric", "dec", "fixed":
            return NumericMapping.decimal(precision: type.modifiers.first ?? 10, scale: type.modifiers.count > 1 ? type.modifiers[1] : 0)
        case "float": return .real
        case "double", "real": return .doublePrecision
        // BIT leaves as its unsigned number (`t`/`f` for BIT(1)).
        case "bit":
            let bits = type.length ?? 1
            return bits == 1 ? .boolean : bits < 64 ? .bigint : .decimal(precision: 20, scale: 0)
        case "char", "varchar", "national", "nchar", "nvarchar":
            return type.length.map { RedshiftColumnType.utf8Varchar(characters: $0) } ?? .longVarchar
        // Text types' sizes are bytes in the column's character set; tinytext holds up to 255.
        case "tinytext": return .utf8Varchar(characters: 255)
        case "text", "mediumtext", "longtext", "json": return base == "json" ? .super : .longVarchar
        case "enum": return .varchar(bytes: max(labels(column.declaredType).map(\.utf8.count).max() ?? 1, 1))
        case "set":
            let labels = labels(column.declaredType)
            return .varchar(bytes: max(labels.map(\.utf8.count).reduce(0, +) + max(labels.count - 1, 0), 1))
        case "binary", "varbinary": return .varbyteCapped(type.length ?? 255)
        case "tinyblob": return .varbyte(bytes: 255)
        case "blob": return .varbyte(bytes: 65_535)
        case "mediumblob", "longblob": return .varbyte(bytes: RedshiftColumnType.maxVarbyteBytes)
        case "date": return .date
        case "datetime": return .timestamp
        // TIMESTAMP is stored in UTC and exported in UTC.
        case "timestamp": return .timestamptz
        // TIME spans -838:59:59 to 838:59:59, beyond Redshift's TIME of day: its text.
        case "time": return .varchar(bytes: 17)
        case "year": return .smallint
        case "uuid": return .varchar(bytes: 36)
        case "inet4": return .varchar(bytes: 15)
        case "inet6": return .varchar(bytes: 39)
        default: return nil
        }
    }

    /// The labels of `enum('a','b''c')` / `set(...)` as MySQL prints them (quotes doubled).
    static func labels(_ columnType: String) -> [String] {
        guard let open = columnType.firstIndex(of: "("), let close = columnType.lastIndex(of: ")"), open < close else { return [] }
        var labels: [String] = [], current = "", inQuotes = false
        var characters = columnType[columnType.index(after: open)..<close].makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            if inQuotes {
                if character == "'" {
                    let next = characters.next()
                    if next == "'" { current.append("'") } else { inQuotes = false; labels.append(current); current = ""; pending = next }
                } else {
                    current.append(character)
                }
            } else if character == "'" {
                inQuotes = true
            }
        }
        return labels
    }
}

extension MySQLSource: SchemaSource {
    func columnDefinitions(of table: String, logger: Logger) async throws -> [SourceColumnDefinition] {
        try await columns(of: table, logger: logger).map { SourceColumnDefinition(name: $0.name, declaredType: $0.typeName, isNullable: $0.isNullable) }
    }

    func redshiftType(for column: SourceColumnDefinition) -> RedshiftColumnType? { MySQLTypeMapping.redshiftType(column) }
}
