import Testing

/// Every conformance suite, run one test at a time: they share one PostgreSQL, one moto server
/// and two cores, and a COPY of 200,000 rows next to a dozen connecting psql processes makes
/// connection timeouts, not findings.
@Suite("Redshift emulator conformance", .serialized, .enabled(if: TestServices.enabled))
enum ConformanceSuites {}
