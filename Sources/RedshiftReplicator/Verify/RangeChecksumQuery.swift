/// Rows, and an order-independent checksum of them, for each bucket of a key range.
struct RangeSums: Sendable, Hashable {
    var count: Int64
    var first: Int64
    var second: Int64

    static let empty = RangeSums(count: 0, first: 0, second: 0)
}

/// The checksum query one side runs for a key range split into buckets `width` keys wide:
/// `SELECT bucket, COUNT(*), SUM(<hex 1-8 of md5(row)>), SUM(<hex 9-16>) ... GROUP BY bucket`.
/// A row's text is its normalised values joined by `|`, each value prefixed with `v` and NULL
/// written as `n`, so that no text (not even `\N`) hashes like NULL.
/// Two 32-bit sums make a 64-bit checksum that fits a BIGINT sum for up to 2^31 rows (Redshift's
/// SUM of BIGINT is a BIGINT, r_SUM). The result has one row per non-empty bucket: memory is
/// bounded by the bucket count, whatever the table's size.
struct RangeChecksumQuery {
    static let separator = "|"

    let spelling: any ChecksumSpelling
    let table: String
    let key: ChecksumColumn
    let columns: [ChecksumColumn]
    /// Whether this side is Redshift (names are the Redshift column's).
    let redshift: Bool

    func name(_ column: ChecksumColumn) -> String { spelling.quoteIdentifier(redshift ? column.redshiftName : column.sourceName) }

    /// The row's normalised text.
    var rowText: String {
        let separator = spelling.quoteLiteral(Self.separator)
        var parts: [String] = []
        for (index, column) in columns.enumerated() {
            if index > 0 { parts.append(separator) }
            parts.append("COALESCE(\(spelling.concat(["'v'", spelling.canonical(column)])), 'n')")
        }
        return spelling.concat(parts)
    }

    /// The query for `range` split into buckets `width` keys wide.
    func sql(range: KeyRange, width: Int64) -> String {
        let key = name(self.key)
        let bucket = spelling.bucket(key: key, lower: range.lower, width: width)
        let condition = KeyRange.condition(column: key, ranges: [range])
        return """
            SELECT \(spelling.asText("b")), \(spelling.asText("COUNT(*)")), \
            \(spelling.asText("SUM(\(spelling.hexInteger("h", start: 1)))")), \(spelling.asText("SUM(\(spelling.hexInteger("h", start: 9)))")) \
            FROM (SELECT \(bucket) AS b, \(spelling.md5(rowText)) AS h FROM \(spelling.quoteTable(table)) WHERE \(condition)) rrr_rows \
            GROUP BY b
            """
    }

    /// `MIN(key)`, `MAX(key)` of the table as text.
    var keyBoundsSQL: String {
        let key = name(self.key)
        return "SELECT \(spelling.asText("MIN(\(key))")), \(spelling.asText("MAX(\(key))")) FROM \(spelling.quoteTable(table))"
    }

    /// Parses the rows of ``sql(range:width:)``: bucket -> sums.
    static func parse(_ rows: [[String?]], side: String) throws -> [Int64: RangeSums] {
        var sums: [Int64: RangeSums] = [:]
        for row in rows {
            let values = row.map { $0.flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) } }
            guard values.count == 4, let bucket = values[0], let count = values[1] else {
                throw VerifyError("\(side): unexpected checksum row \(row.map { $0 ?? "NULL" })")
            }
            sums[bucket] = RangeSums(count: count, first: values[2] ?? 0, second: values[3] ?? 0)
        }
        return sums
    }
}

/// A verification that cannot go on (an unsupported key, an unreadable result).
struct VerifyError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
