import Logging

/// A source column as its catalog declares it: what `rrr schema` maps to a Redshift type.
public struct SourceColumnDefinition: Sendable, Hashable {
    /// The column name as the source stores it.
    public var name: String
    /// The declared type as the database prints it (`character varying(20)`, `enum('a','b')`,
    /// `VARCHAR(10)`): named in errors, and what the per-source mapping reads.
    public var declaredType: String
    /// Whether the column can hold NULL.
    public var isNullable: Bool
    /// The longest label in UTF-8 bytes, for an enumerated type (PostgreSQL `CREATE TYPE ... AS ENUM`).
    public var enumLabelBytes: Int?

    /// Creates a definition.
    public init(name: String, declaredType: String, isNullable: Bool, enumLabelBytes: Int? = nil) {
        self.name = name; self.declaredType = declaredType; self.isNullable = isNullable; self.enumLabelBytes = enumLabelBytes
    }
}

/// A source whose tables `rrr schema` can describe for Redshift: its catalog's column definitions
/// and its type mapping (each in its `Source/<DB>/` folder).
protocol SchemaSource: ReplicationSource {
    /// The columns of `table` in table order, as the catalog declares them.
    func columnDefinitions(of table: String, logger: Logger) async throws -> [SourceColumnDefinition]
    /// The Redshift type of `column`; `nil` when the source type has no mapping.
    func redshiftType(for column: SourceColumnDefinition) -> RedshiftColumnType?
}
