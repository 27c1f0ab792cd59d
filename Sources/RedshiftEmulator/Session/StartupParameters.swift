/// What becomes of a client's startup parameters. PostgreSQL refuses a startup parameter it does
/// not know (FATAL 42704), while Redshift accepts those its own drivers send: AWS's Python driver
/// `redshift_connector` (dbt-redshift and awswrangler use it) announces its protocol version and
/// itself, and the JDBC/ODBC drivers and IdP plugins add their own. The emulator keeps those
/// parameters from PostgreSQL and answers the protocol negotiation as a Redshift that offers only
/// the base protocol: the driver then falls back to it (redshift_connector `core.py`: without a
/// matching `server_protocol_version` it uses BASE_SERVER).
enum StartupParameters {
    /// Sent by Redshift's drivers and plugins; accepted and not passed to PostgreSQL.
    static let redshiftDriverParameters: Set<String> = [
        "client_protocol_version", "driver_version", "os_version", "driver_discovery_version",
        "plugin_name", "idp_type", "provider_name", "token_type", "identity_namespace", "idc_client_display_name",
    ]

    /// Handled by the emulator's own login, never passed on.
    static let loginParameters: Set<String> = ["user", "database", "replication"]

    /// The protocol the emulator speaks: 0, Redshift's BASE_SERVER (plain PostgreSQL v3 messages;
    /// the extended result metadata of later versions is not emulated).
    static let serverProtocolVersion = "0"

    /// The parameters the backend PostgreSQL session receives.
    static func forBackend(_ startup: StartupMessage) -> [(name: String, value: String)] {
        startup.parameters.filter { !loginParameters.contains($0.name) && !redshiftDriverParameters.contains($0.name) }
    }

    /// ParameterStatus messages Redshift adds to the greeting for this client.
    static func extraStatus(for startup: StartupMessage) -> [(name: String, value: String)] {
        guard startup.parameters.contains(where: { $0.name == "client_protocol_version" }) else { return [] }
        return [("server_protocol_version", serverProtocolVersion)]
    }
}
