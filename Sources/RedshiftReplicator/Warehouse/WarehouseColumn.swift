import SourceSupport

/// A column of the Redshift target table: rrr exports exactly these, in this order.
struct WarehouseColumn: Sendable, Hashable {
    /// The column name.
    var name: String
    /// `information_schema.columns.data_type` (e.g. `boolean`, `timestamp without time zone`).
    var dataType: String

    /// What the source value must be written as for this column's type.
    var exportTarget: RedshiftTarget {
        switch dataType.lowercased() {
        case "boolean", "bool": return .boolean
        case "date": return .date
        case "timestamp without time zone", "timestamp with time zone", "timestamp", "timestamptz": return .timestamp
        case "binary varying", "varbyte", "varbinary", "binary": return .varbyte
        default: return .automatic
        }
    }

    /// The export description of this column.
    var exportColumn: ExportColumn { ExportColumn(name, target: exportTarget) }
}
