extension ReplicatorConfiguration {
    /// `source:` as a URL (`url`, env `RRR_SOURCE_URL` / `DATABASE_URL`), as fields (`type`, `host`,
    /// `port`, `database`, `user`, `password`, `sslmode`, `sslrootcert`, `parameters`), or both: a
    /// field given beside the URL replaces that part of it, so a password with `@` or `/` needs no
    /// percent-encoding when it is a field. A setting left out is the client library's default
    /// (libpq reads `PGPASSWORD`, `~/.pgpass`, `PGSSLMODE`…; libmariadb reads `MYSQL_PWD`).
    static func parseSource(_ node: ConfigNode) throws(ConfigurationError) -> DatabaseURL {
        let type = try node["type"].string()?.lowercased()
        let text = try node["url"].optional(orEnvironment: type == nil ? ["RRR_SOURCE_URL", "DATABASE_URL"] : [])
        var url: DatabaseURL
        if let text {
            url = try DatabaseURL(parsing: text, setting: node["url"].path)
            if let type, type != url.scheme {
                throw ConfigurationError(.invalidValue, setting: node["type"].path, "is \(type) but source.url is a \(url.scheme) URL: set one of them")
            }
        } else if let type {
            guard let database = try node["database"].string() else {
                throw ConfigurationError(.missingSetting, setting: node["database"].path, "required: the database name (for SQLite, the file's path)")
            }
            url = try DatabaseURL(fieldsOf: type, database: database, setting: node["type"].path)
        } else {
            throw ConfigurationError(.missingSetting, setting: node["url"].path,
                "required: set `source.url` (or RRR_SOURCE_URL / DATABASE_URL), or `source.type` with `host`, `database`, `user`…")
        }
        try url.apply(fields: node)
        return url
    }
}

extension DatabaseURL {
    /// A URL built from `source.type` and `source.database` alone (the other fields follow).
    init(fieldsOf type: String, database: String, setting: String) throws(ConfigurationError) {
        if type == "sqlite" {
            try self.init(parsing: "sqlite:" + database, setting: setting)
        } else {
            try self.init(parsing: "\(type)://127.0.0.1/x", setting: setting)
            self.database = database
        }
    }

    /// Applies the fields set beside (or instead of) the URL.
    mutating func apply(fields node: ConfigNode) throws(ConfigurationError) {
        if let database = try node["database"].string() { self.database = database }
        let networked = ["host", "port", "user", "password", "sslmode", "sslrootcert", "parameters"]
        if scheme == "sqlite" {
            if let field = networked.first(where: { node[$0].node != nil }) {
                throw ConfigurationError(.invalidValue, setting: node[field].path, "a SQLite source is a file: set only `source.database` (its path) or `source.url`")
            }
            return
        }
        if let host = try node["host"].string() { self.host = host }
        if let port = try node["port"].int(minimum: 1, maximum: 65535) { self.port = port }
        if let user = try node["user"].string() { self.user = user }
        if let password = try node["password"].string() { self.password = Secret(password) }
        let isMySQL = ["mysql", "mariadb"].contains(scheme)
        if let mode = try node["sslmode"].string() {
            // One vocabulary for every source: libpq's names, which MySQL spells its own way.
            let mysqlNames = ["disable": "DISABLED", "require": "REQUIRED", "verify-ca": "VERIFY_CA", "verify-full": "VERIFY_IDENTITY"]
            parameters["sslmode"] = isMySQL ? mysqlNames[mode.lowercased()] ?? mode : mode
        }
        if let certificate = try node["sslrootcert"].string() { parameters[isMySQL ? "ssl-ca" : "sslrootcert"] = certificate }
        let extra = node["parameters"]
        for name in try extra.keys() {
            parameters[name] = try extra[name].string() ?? ""
        }
    }
}
