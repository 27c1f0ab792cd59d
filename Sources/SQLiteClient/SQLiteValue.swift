/// A value in one of SQLite's storage classes: a bound parameter or a small query's result.
package enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// A small query result.
package struct SQLiteResultSet: Sendable, Hashable {
    /// The column labels, in order.
    package var columns: [String]
    /// The rows, values in their storage class.
    package var rows: [[SQLiteValue]]

    /// The first row's first value, or `.null` when there is none.
    package var scalar: SQLiteValue { rows.first?.first ?? .null }
}
