import { PulumiProject } from "../support/pulumi";

// The real Pulumi CLI (built by scripts/ensure-pulumi.sh) drives a trivial dynamic resource through
// preview, up and destroy with a local file backend: the path every other engine test relies on.
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const provider = {
  async create(inputs) { return { id: "thing-" + inputs.value, outs: { ...inputs, length: inputs.value.length } }; },
};
class Thing extends pulumi.dynamic.Resource {
  constructor(name, args) { super(provider, name, { ...args, length: undefined }, undefined, "smoke", "Thing"); }
}
const thing = new Thing("thing", { value: "hello" });
exports.thingId = thing.id;
exports.length = thing.length;
`;

describe("the real Pulumi engine", () => {
  let project: PulumiProject;
  beforeAll(async () => {
    project = await PulumiProject.create({ name: "smoke", program: PROGRAM });
  }, 120_000);
  afterAll(() => project?.cleanup());

  it("previews, creates and destroys a dynamic resource", async () => {
    const preview = await project.preview();
    expect(preview.result.code).toBe(0);
    const planned = preview.json.steps.find((s) => s.urn.endsWith("::thing"));
    expect(planned?.op).toBe("create");
    expect(preview.json.changeSummary).toEqual({ create: 2 });

    const up = await project.up();
    expect(up.result.code).toBe(0);
    expect(up.json.changeSummary).toEqual({ create: 2 });
    const thing = project.stateResources().find((r) => r.urn.endsWith("::thing"));
    expect(thing?.type).toBe("pulumi-nodejs:dynamic/smoke:Thing");
    expect(thing?.id).toBe("thing-hello");
    expect(thing?.outputs).toMatchObject({ value: "hello", length: 5 });

    const again = await project.preview();
    expect(again.json.changeSummary).toEqual({ same: 2 });

    const destroy = await project.destroy();
    expect(destroy.result.code).toBe(0);
    expect(destroy.json.changeSummary).toEqual({ delete: 2 });
    expect(project.stateResources()).toEqual([]);
  }, 180_000);
});
