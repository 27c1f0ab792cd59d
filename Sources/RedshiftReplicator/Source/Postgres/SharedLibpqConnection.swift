/// A lazily opened libpq connection shared by metadata and history queries; reopened when it broke.
actor SharedLibpqConnection {
    private let url: DatabaseURL
    private let applicationName: String
    private var connection: LibpqConnection?

    init(url: DatabaseURL, applicationName: String) {
        self.url = url
        self.applicationName = applicationName
    }

    /// Runs `body` on the connection, reconnecting once when the previous connection was lost.
    @discardableResult
    func run<T: Sendable>(_ body: @escaping @Sendable (LibpqSession) throws -> T) async throws -> T {
        let current: LibpqConnection
        if let connection { current = connection } else {
            current = try await LibpqConnection.connect(url, applicationName: applicationName)
            connection = current
        }
        do {
            return try await current.run(body)
        } catch let error as SourceError where error.code == .connectionFailed {
            await current.close()
            connection = nil
            throw error
        }
    }

    func close() async {
        await connection?.close()
        connection = nil
    }
}
