import AWSStandIns
import Foundation
import Testing

@testable import AWSAuth

@Suite("Shared files and environment settings")
struct ProfileFilesTests {
    @Test("credentials and config files: sections, profile prefix, comments, nested settings")
    func parsing() {
        let config = AWSProfileFiles.parse("""
            # comment
            [default]
            region = eu-west-1 ; inline comment
            s3 =
              addressing_style = path
            [profile prod]
            Role_Arn = arn:aws:iam::123456789012:role/prod
            source_profile=default
            [sso-session corp]
            sso_region = us-east-1
            [services local]
            s3 =
              endpoint_url = http://127.0.0.1:9000
            """, isConfig: true)
        #expect(config["default"] == ["region": "eu-west-1", "s3": ""])
        #expect(config["prod"] == ["role_arn": "arn:aws:iam::123456789012:role/prod", "source_profile": "default"])
        #expect(config["corp"] == nil && config["sso-session corp"] == nil && config["local"] == nil)

        let credentials = AWSProfileFiles.parse("""
            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = se/cret+key#notacomment
            [profile x]
            aws_access_key_id = AKIDX
            """, isConfig: false)
        #expect(credentials["default"]?["aws_secret_access_key"] == "se/cret+key#notacomment")
        #expect(credentials["profile x"]?["aws_access_key_id"] == "AKIDX", "the credentials file has no `profile` prefix")
    }

    @Test("region: AWS_REGION, then AWS_DEFAULT_REGION, then the profile's; profile from AWS_PROFILE")
    func region() throws {
        let home = try ScratchHome()
        defer { home.remove() }
        try home.write(".aws/config", "[default]\nregion = eu-west-1\n[profile other]\nregion = ap-south-1\n")
        #expect(home.environment().region == "eu-west-1")
        #expect(home.environment(["AWS_PROFILE": "other"]).region == "ap-south-1")
        #expect(home.environment(["AWS_DEFAULT_REGION": "us-west-2"]).region == "us-west-2")
        #expect(home.environment(["AWS_DEFAULT_REGION": "us-west-2", "AWS_REGION": "eu-north-1"]).region == "eu-north-1")
        #expect(AWSEnvironment(["AWS_PROFILE": "other"], profile: "explicit").profile == "explicit")
    }

    @Test("endpoints: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then AWS's regional one")
    func endpoints() {
        let environment = AWSEnvironment([
            "AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:2",
            "AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS": "http://127.0.0.1:3",
        ])
        #expect(environment.endpoint(for: .secretsManager, region: "us-east-1") == "http://127.0.0.1:2")
        #expect(environment.endpoint(for: .redshiftServerless, region: "us-east-1") == "http://127.0.0.1:3")
        #expect(environment.endpoint(for: .sts, region: "us-east-1") == "http://127.0.0.1:1")
        #expect(AWSEnvironment([:]).endpoint(for: .redshift, region: "eu-west-1") == "https://redshift.eu-west-1.amazonaws.com")
        #expect(AWSEnvironment([:]).endpoint(for: .sts, region: "cn-north-1") == "https://sts.cn-north-1.amazonaws.com.cn")
        let ignored = AWSEnvironment(["AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"])
        #expect(ignored.endpoint(for: .s3, region: "us-east-1") == "https://s3.us-east-1.amazonaws.com")
        #expect(AWSService.redshiftServerless.endpointVariable == "AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS")
    }

    @Test("credential_process command lines split like a shell's words")
    func commandSplitting() throws {
        #expect(try CredentialProcess.split(#"/usr/bin/tool --profile "my profile" 'a b' c\ d "q\"x" "\n""#)
                == ["/usr/bin/tool", "--profile", "my profile", "a b", "c d", "q\"x", "\\n"])
        #expect(throws: AWSAuthError.self) { try CredentialProcess.split(#"tool "unterminated"#) }
    }

    @Test("renewal: 15 minutes before expiry, or at half the lifetime when that is shorter")
    func refreshSchedule() {
        let schedule = RefreshSchedule()
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(schedule.refreshDate(fetchedAt: now, expiration: now + 3600) == now + 2700)
        #expect(schedule.refreshDate(fetchedAt: now, expiration: now + 600) == now + 300)
        #expect(schedule.refreshDate(fetchedAt: now, expiration: now + 4) == now + 2)
        #expect(schedule.refreshDate(fetchedAt: now, expiration: nil) == nil)
    }
}
