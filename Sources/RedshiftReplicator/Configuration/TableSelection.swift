/// Which configured tables an operation acts on.
public enum TableSelection: Sendable, Hashable, ExpressibleByArrayLiteral {
    /// Every configured table (delete tracking: every table that tracks deletes).
    case all
    /// These tables, by configured name or source table, in this order; an unknown name is a
    /// ``ConfigurationError`` `.unknownTable`. An empty list selects nothing.
    case named([String])

    /// `["users", "events"]` as `.named(["users", "events"])`.
    public init(arrayLiteral names: String...) { self = .named(names) }
}

extension ReplicatorConfiguration {
    /// The configured tables `selection` names, in its order (configuration order for `.all`).
    public func tables(_ selection: TableSelection) throws(ConfigurationError) -> [TableConfiguration] {
        guard case .named(let names) = selection else { return tables }
        return try names.map { (name) throws(ConfigurationError) -> TableConfiguration in
            guard let table = tables.first(where: { $0.name == name }) ?? tables.first(where: { $0.sourceTable == name }) else {
                let known = tables.map(\.name).joined(separator: ", ")
                throw ConfigurationError(.unknownTable, setting: "tables.\(name)", "no table `\(name)` is configured (configured: \(known))")
            }
            return table
        }
    }

    /// The one table `name` names.
    func table(named name: String) throws(ConfigurationError) -> TableConfiguration {
        try tables(.named([name]))[0]
    }
}
