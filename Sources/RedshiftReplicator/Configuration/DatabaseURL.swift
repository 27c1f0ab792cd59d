import Foundation

/// A source database URL such as `postgres://user:password@host:5432/app?sslmode=require`.
///
/// The password is kept as a ``Secret``; ``description`` prints the URL without it.
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    /// `postgres` (also accepted: `postgresql`), `mysql` (also `mariadb`) or `sqlite`.
    public var scheme: String
    /// Host name or address; default `127.0.0.1`.
    public var host: String
    /// Port; `nil` means the database's default.
    public var port: Int?
    /// User name, if any.
    public var user: String?
    /// Password, if any.
    public var password: Secret?
    /// Database name (or the file path for SQLite).
    public var database: String
    /// Extra connection parameters from the query string, handed to the client library as they
    /// are: for PostgreSQL, libpq's own keywords (`sslmode=verify-full`, `sslrootcert=/path/ca.pem`,
    /// `sslcert`, `sslkey` …), so TLS behaves exactly as libpq documents it.
    public var parameters: [String: String]

    /// Parses a URL; `setting` names the configuration key for errors.
    ///
    /// SQLite files: `sqlite:///absolute/path.db`, `sqlite:relative/path.db`, or a bare path (no
    /// scheme) ending in `.sqlite`, `.sqlite3` or `.db`; ``database`` is then the file path.
    public init(parsing text: String, setting: String = "source.url") throws(ConfigurationError) {
        if !text.contains(":"), [".sqlite", ".sqlite3", ".db"].contains(where: { text.lowercased().hasSuffix($0) }) {
            self = Self(sqlitePath: text)
            return
        }
        if text.lowercased().hasPrefix("sqlite:") {
            guard let components = URLComponents(string: text), (components.host ?? "").isEmpty, !components.path.isEmpty else {
                throw ConfigurationError(.invalidValue, setting: setting, "a SQLite URL names a file: sqlite:///absolute/path.db or sqlite:relative/path.db")
            }
            self = Self(sqlitePath: components.path.removingPercentEncoding ?? components.path)
            return
        }
        if let problem = Self.unencodedCharacterProblem(text) {
            throw ConfigurationError(.invalidValue, setting: setting, "\(problem); \(Self.percentEncodingAdvice)")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme, !scheme.isEmpty else {
            throw ConfigurationError(.invalidValue, setting: setting, "not a database URL (expected postgres://user:password@host:port/database); \(Self.percentEncodingAdvice)")
        }
        self.scheme = scheme.lowercased()
        self.host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        self.port = components.port
        self.user = components.user?.removingPercentEncoding ?? components.user
        self.password = (components.password?.removingPercentEncoding ?? components.password).map(Secret.init)
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.removingPercentEncoding ?? path
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] { parameters[item.name] = item.value ?? "" }
        self.parameters = parameters
        if database.isEmpty {
            throw ConfigurationError(.invalidValue, setting: setting, "the URL names no database")
        }
    }

    /// How to write a password (or user name) holding URL delimiters.
    static let percentEncodingAdvice = "a user name or password holding @ : / # ? % or a space must be percent-encoded in the URL (@ is %40, : %3A, / %2F, # %23, ? %3F, % %25, space %20), or leave it out of the URL and set `source.password` (or PGPASSWORD / MYSQL_PWD) instead"

    /// A delimiter the URL cannot hold where it stands: a `#` (the rest would be a fragment), or
    /// an `@` after the host part (a `/` or `?` in the password ended the user info early).
    /// Never quotes the text: it may hold a password.
    static func unencodedCharacterProblem(_ text: String) -> String? {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        let rest = text[schemeEnd.upperBound...]
        if rest.contains("#") { return "the URL holds a `#`, which ends a URL" }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        if rest[authorityEnd...].contains("@") { return "the URL holds an `@` after its host part (a `/` or `?` in the password?)" }
        if rest[..<authorityEnd].filter({ $0 == "@" }).count > 1 { return "the URL holds more than one `@` before the host" }
        return nil
    }

    private init(sqlitePath: String) {
        scheme = "sqlite"; host = ""; port = nil; user = nil; password = nil
        database = sqlitePath; parameters = [:]
    }

    /// Whether the query parameter `name` holds a secret (`password=`, `sslpassword=`, a key's
    /// passphrase, a token): printed as `********` like the URL's own password.
    static func isSecretParameter(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return ["password", "passwd", "passphrase", "secret", "token"].contains { lowered.contains($0) }
    }

    /// The URL with the password, and query parameters holding secrets, replaced by `********`.
    public var description: String {
        if scheme == "sqlite" { return "sqlite:" + (database.hasPrefix("/") ? "//" : "") + database }
        var text = "\(scheme)://"
        if let user { text += user + (password == nil ? "" : ":********") + "@" }
        text += host
        if let port { text += ":\(port)" }
        text += "/\(database)"
        if !parameters.isEmpty {
            text += "?" + parameters.sorted { $0.key < $1.key }
                .map { "\($0.key)=\(Self.isSecretParameter($0.key) ? "********" : $0.value)" }.joined(separator: "&")
        }
        return text
    }
}
