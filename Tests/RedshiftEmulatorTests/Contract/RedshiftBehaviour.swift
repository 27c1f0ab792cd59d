import Testing

/// Redshift behaviours rrr and the emulator rely on. Each is checked only through what a client
/// sees (psql, COPY from S3), so the same check runs against the emulator (every test run) and
/// against a real cluster or Serverless workgroup (the opt-in contract run). Each names the AWS
/// documentation page it follows; the emulator's README lists them.
enum RedshiftBehaviour: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case literalsTakeBackslashEscapes
    case copyOptionsAreLiteralsToo
    case maxErrorFailsAtTheCount
    case identityColumns
    case varcharTrailingBlanksAreInsignificant
    case identifiersFoldToLowerCase
    case typesFollowCreateTable
    case vacuumRefusesReindexThreshold
    case lastCopyIDAndLoadErrors
    case nulCharactersFailCopy
    case timeFormatsAreExact
    case manifestWithNoFileFails
    case checksumFunctions

    var testDescription: String { rawValue }

    /// The AWS documentation page (https://docs.aws.amazon.com/redshift/latest/dg/<page>.html).
    var page: String {
        switch self {
        case .literalsTakeBackslashEscapes: return "r_QUOTE_LITERAL"
        case .copyOptionsAreLiteralsToo: return "copy-parameters-data-conversion"
        case .maxErrorFailsAtTheCount: return "copy-parameters-data-load"
        case .identityColumns: return "r_CREATE_TABLE_NEW"
        case .varcharTrailingBlanksAreInsignificant: return "r_Character_types"
        case .identifiersFoldToLowerCase: return "r_names"
        case .typesFollowCreateTable: return "r_CREATE_TABLE_NEW"
        case .vacuumRefusesReindexThreshold: return "r_VACUUM_command"
        case .lastCopyIDAndLoadErrors: return "PG_LAST_COPY_ID"
        case .nulCharactersFailCopy: return "t_preparing-input-data"
        case .timeFormatsAreExact: return "r_DATEFORMAT_and_TIMEFORMAT_strings"
        case .manifestWithNoFileFails: return "loading-data-files-using-manifest"
        case .checksumFunctions: return "r_STRTOL"
        }
    }

    func check(on endpoint: RedshiftEndpoint) async throws {
        switch self {
        case .literalsTakeBackslashEscapes: try await Self.literalsTakeBackslashEscapes(endpoint)
        case .copyOptionsAreLiteralsToo: try await Self.copyOptionsAreLiteralsToo(endpoint)
        case .maxErrorFailsAtTheCount: try await Self.maxErrorFailsAtTheCount(endpoint)
        case .identityColumns: try await Self.identityColumns(endpoint)
        case .varcharTrailingBlanksAreInsignificant: try await Self.varcharTrailingBlanksAreInsignificant(endpoint)
        case .identifiersFoldToLowerCase: try await Self.identifiersFoldToLowerCase(endpoint)
        case .typesFollowCreateTable: try await Self.typesFollowCreateTable(endpoint)
        case .vacuumRefusesReindexThreshold: try await Self.vacuumRefusesReindexThreshold(endpoint)
        case .lastCopyIDAndLoadErrors: try await Self.lastCopyIDAndLoadErrors(endpoint)
        case .nulCharactersFailCopy: try await Self.nulCharactersFailCopy(endpoint)
        case .timeFormatsAreExact: try await Self.timeFormatsAreExact(endpoint)
        case .manifestWithNoFileFails: try await Self.manifestWithNoFileFails(endpoint)
        case .checksumFunctions: try await Self.checksumFunctions(endpoint)
        }
    }
}
