import { ConfigError, resolveSettings } from "../../provider/src/config";
import { DEFAULT_DISPOSITION_MATRIX } from "../../provider/src/matrix";

const fromMap = (values: Record<string, string>) => (key: string) => values[key];

describe("provider settings", () => {
  it("prefers stack config and falls back to GENESYSCLOUD_* variables", () => {
    const settings = resolveSettings(fromMap({ "genesys:region": "eu-central-1", "genesys:clientId": "from-config" }), {
      GENESYSCLOUD_REGION: "us-east-1",
      GENESYSCLOUD_OAUTHCLIENT_ID: "from-env",
      GENESYSCLOUD_OAUTHCLIENT_SECRET: "env-secret",
      GENESYSCLOUD_API_URL: "http://127.0.0.1:9999",
    });
    expect(settings).toMatchObject({
      region: "eu-central-1",
      clientId: "from-config",
      clientSecret: "env-secret",
      apiUrl: "http://127.0.0.1:9999",
      dispositionMatrix: DEFAULT_DISPOSITION_MATRIX,
    });
    expect(settings.authUrl).toBeUndefined();
  });

  it("reads a configured disposition matrix and names the key of a broken one", () => {
    const matrix = resolveSettings(fromMap({ "genesys:dispositionMatrix": '{"billing":["refund","dispute"]}' }), {});
    expect(matrix.dispositionMatrix).toEqual({ billing: ["refund", "dispute"] });
    expect(() => resolveSettings(fromMap({ "genesys:dispositionMatrix": "{nope" }), {})).toThrow(
      new ConfigError("genesys:dispositionMatrix: must be a JSON object of category -> [subcategories]"),
    );
    expect(() => resolveSettings(fromMap({ "genesys:dispositionMatrix": '{"billing":["Bad Sub"]}' }), {})).toThrow(
      /genesys:dispositionMatrix\.billing\.0: subcategories are 1\.\.95 characters/,
    );
  });

  it("rejects a requestsPerSecond that is not a positive number", () => {
    expect(resolveSettings(fromMap({ "genesys:requestsPerSecond": "2.5" }), {}).requestsPerSecond).toBe(2.5);
    expect(() => resolveSettings(fromMap({ "genesys:requestsPerSecond": "0" }), {})).toThrow(
      'genesys:requestsPerSecond: must be a positive number, got "0"',
    );
  });
});
