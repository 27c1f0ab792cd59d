/// One column of a streaming export: its name in the source and what the Redshift column expects.
public struct ExportColumn: Sendable, Hashable, CustomStringConvertible {
    /// The column's name in the source table (quoted by the client, never pasted raw).
    public var name: String
    /// The kind of Redshift column it loads into; `.automatic` (the default) converts by source type only.
    public var target: RedshiftTarget
    /// Whether it is one of the table's key columns (errors name a row by its key). Default `false`.
    public var isKey: Bool
    /// What the Redshift column holds at most (width, range), checked on each exported value;
    /// `nil` (the default): nothing is checked.
    public var limit: ValueLimit? = nil
    /// What a value over the limit becomes (`invalid_values`). Default ``InvalidValuePolicy/fail``.
    public var invalidValues: InvalidValuePolicy = .fail
    /// Whether the Redshift column takes NULL (a value can be replaced by NULL). Default `true`.
    public var targetIsNullable: Bool = true

    /// Creates a column; `target` defaults to ``RedshiftTarget/automatic``.
    public init(_ name: String, target: RedshiftTarget = .automatic, isKey: Bool = false) {
        self.name = name
        self.target = target
        self.isKey = isKey
    }

    public var description: String { "\(name) -> \(target)" }
}

/// The few Redshift column kinds that change how a source value is written as text.
///
/// Everything not listed (numbers, text, SUPER, TIME) loads from the source's natural text form,
/// so `.automatic` is right for it.
public enum RedshiftTarget: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Convert by the source type alone.
    case automatic
    /// BOOLEAN: integers (MySQL TINYINT(1), BIT, SQLite 0/1) become `t` / `f`.
    case boolean
    /// DATE: date-time values keep only their `YYYY-MM-DD` part.
    case date
    /// TIMESTAMP / TIMESTAMPTZ: SQLite numbers are read as Unix epoch seconds.
    case timestamp
    /// VARBYTE: binary values as hex (also what `.automatic` does for binary source columns).
    case varbyte

    public var description: String { rawValue }
}
