import PostgresNIO

/// A statement for Redshift with its values bound as parameters (`$1`, `$2`, ...), never pasted.
struct RedshiftStatement: Sendable, Hashable, CustomStringConvertible {
    let sql: String
    /// The values of `$1`, `$2`, ... in order, bound as ``UntypedParameter``s.
    let values: [String]

    init(_ sql: String, values: [String] = []) {
        self.sql = sql
        self.values = values
    }

    var query: PostgresQuery {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { binds.append(UntypedParameter(value)) }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// The SQL and the number of values (the values are data, kept out of logs).
    var description: String { values.isEmpty ? sql : "\(sql) [\(values.count) bound value(s)]" }
}

/// A value bound in text form without a type (OID 0): Redshift types it from where it stands, as
/// it types an untyped literal, so one form compares with a BIGINT, VARCHAR or DATE column.
struct UntypedParameter: PostgresNonThrowingEncodable, Hashable {
    let text: String

    init(_ text: String) {
        // NUL cannot travel in a text parameter (see RedshiftDialect).
        self.text = text.replacingOccurrences(of: "\0", with: "")
    }

    static var psqlType: PostgresDataType { .null }
    static var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeString(text)
    }
}
