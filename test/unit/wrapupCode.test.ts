import {
  checkWrapUpCode as checkWith,
  codeState,
  desiredCode,
  diffWrapUpCode as diffWith,
} from "../../provider/src/resources/wrapupCode";
import type { WrapUpCodeInputs } from "../../provider/src/resources/wrapupCode";
import { codeTraits } from "../../provider/src/profiles/traits";
import { codeFromWire, codeToWire } from "../../provider/src/profiles/tutorial/wire";

// The tutorial profile's rules (every field on the API, `code` replaces); the platform's are in wrapupCode-platform.
const TUTORIAL = codeTraits("tutorial");
const checkWrapUpCode = (news: Record<string, unknown>, matrix: typeof MATRIX) => checkWith(news, matrix, TUTORIAL);
const diffWrapUpCode = (olds: Record<string, unknown>, news: Record<string, unknown>) => diffWith(olds, news, TUTORIAL);
import { DEFAULT_DISPOSITION_MATRIX as MATRIX } from "../../provider/src/matrix";
import { UNKNOWN } from "../../provider/src/unknown";

const QUEUE = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e01";
const valid = { name: "Technical Support Escalation", code: "ESC_TECH", category: "support", queueId: QUEUE };

describe("WrapUpCode check", () => {
  it("applies defaults and derives the reporting tags", () => {
    const { inputs, failures } = checkWrapUpCode({ ...valid, tags: ["priority:high", "cat:support"] }, MATRIX);
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ mandatory: false, onConflict: "fail" });
    expect(inputs.reportingTags).toEqual([
      "cat:support",
      "sub:resolved",
      "sub:escalation",
      "sub:callback",
      "priority:high",
    ]);
  });

  it("reports one failure per broken field, naming the field and its rules", () => {
    const { failures } = checkWrapUpCode(
      {
        name: "   ",
        code: "x".repeat(129) + "!",
        category: "billing",
        queueId: "not-a-uuid",
        tags: ["UPPER", "ok", "ok"],
        validFrom: "2026-02-01T00:00:00Z",
        validThrough: "2026-01-01",
        description: "d".repeat(513),
        onConflict: "merge",
      },
      MATRIX,
    );
    const byField = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
    expect(Object.keys(byField).sort()).toEqual(
      ["category", "code", "description", "name", "onConflict", "queueId", "tags", "validThrough"].sort(),
    );
    expect(byField.name).toBe("name: must not be only spaces");
    expect(byField.code).toContain("at most 128 characters");
    expect(byField.code).toContain("letters, digits, spaces");
    expect(byField.category).toContain('"billing" is not a disposition category; known: sales, support, compliance');
    expect(byField.queueId).toContain("UUID");
    expect(byField.tags).toContain("[0] each tag must be 1..100 characters");
    expect(byField.tags).toContain("must not repeat a tag");
    expect(byField.validThrough).toContain("ISO 8601");
    expect(byField.onConflict).toContain('"fail" or "adopt"');
  });

  it("names required fields that are missing", () => {
    const { failures } = checkWrapUpCode({ name: "A" }, MATRIX);
    expect(failures.map((f) => f.reason).sort()).toEqual([
      "category: is required",
      "code: is required",
      "queueId: is required (the tutorial API holds each code in exactly one queue)",
    ]);
  });

  it("requires validFrom before validThrough", () => {
    const { failures } = checkWrapUpCode(
      { ...valid, validFrom: "2026-02-01T00:00:00Z", validThrough: "2026-01-31T23:00:00-02:00" },
      MATRIX,
    );
    expect(failures).toEqual([]);
    const late = checkWrapUpCode(
      { ...valid, validFrom: "2026-02-01T00:00:00Z", validThrough: "2026-02-01T00:00:00+00:00" },
      MATRIX,
    );
    expect(late.failures).toEqual([{ property: "validThrough", reason: "validThrough: must be later than validFrom" }]);
  });

  it("lets unknown preview values through and derives no tags from them", () => {
    const { inputs, failures } = checkWrapUpCode(
      { ...valid, queueId: UNKNOWN, category: UNKNOWN, tags: [UNKNOWN] },
      MATRIX,
    );
    expect(failures).toEqual([]);
    expect(inputs.reportingTags).toBeUndefined();
  });

  it("uses the configured matrix", () => {
    const matrix = { billing: ["refund"] };
    expect(checkWrapUpCode({ ...valid, category: "billing" }, matrix).inputs.reportingTags).toEqual([
      "cat:billing",
      "sub:refund",
    ]);
    expect(checkWrapUpCode(valid, matrix).failures[0].property).toBe("category");
  });
});

describe("WrapUpCode diff", () => {
  const state = {
    ...checkWrapUpCode(valid, MATRIX).inputs,
    codeId: "c1",
    dateCreated: "2026-01-01T00:00:00.000Z",
    audit: { action: "create" },
  };

  it("finds no change when nothing changed, whatever the computed outputs", () => {
    expect(diffWrapUpCode(state, checkWrapUpCode(valid, MATRIX).inputs)).toMatchObject({ changes: false, changed: [] });
  });

  it("updates a changed field in place", () => {
    const news = checkWrapUpCode({ ...valid, mandatory: true }, MATRIX).inputs;
    expect(diffWrapUpCode(state, news)).toEqual({
      changes: true,
      changed: ["mandatory"],
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("replaces on a new code, deleting first when the name stays in the same queue", () => {
    const sameName = diffWrapUpCode(state, checkWrapUpCode({ ...valid, code: "ESC2" }, MATRIX).inputs);
    expect(sameName).toMatchObject({ replaces: ["code"], deleteBeforeReplace: true });
    const renamed = diffWrapUpCode(state, checkWrapUpCode({ ...valid, code: "ESC2", name: "Other" }, MATRIX).inputs);
    expect(renamed).toMatchObject({ replaces: ["code"], deleteBeforeReplace: false });
    const recased = diffWrapUpCode(
      state,
      checkWrapUpCode({ ...valid, code: "ESC2", name: valid.name.toUpperCase() }, MATRIX).inputs,
    );
    expect(recased.deleteBeforeReplace).toBe(true);
  });

  it("treats timestamps naming the same instant as equal", () => {
    const withDate = { ...state, validFrom: "2026-01-01T00:00:00Z" };
    const news = checkWrapUpCode({ ...valid, validFrom: "2026-01-01T01:00:00+01:00" }, MATRIX).inputs;
    expect(diffWrapUpCode(withDate, news).changes).toBe(false);
  });

  it("sees drifted reporting tags as a change to bring back", () => {
    const drifted = { ...state, reportingTags: ["cat:support"] };
    expect(diffWrapUpCode(drifted, checkWrapUpCode(valid, MATRIX).inputs).changed).toEqual(["reportingTags"]);
  });

  it("counts unknown values as possible changes", () => {
    const news = checkWrapUpCode({ ...valid, code: UNKNOWN }, MATRIX).inputs;
    expect(diffWrapUpCode(state, news)).toMatchObject({ changes: true, replaces: ["code"] });
  });
});

describe("WrapUpCode wire format", () => {
  const inputs = checkWrapUpCode({ ...valid, tags: ["priority:high"], mandatory: true }, MATRIX)
    .inputs as unknown as WrapUpCodeInputs;

  it("maps the user's fields to the API's", () => {
    expect(codeToWire(desiredCode(inputs))).toEqual({
      codeName: valid.name,
      code: "ESC_TECH",
      codeCategoryName: "support",
      routingQueue: { id: QUEUE },
      mandatoryField: true,
      reportingTags: ["cat:support", "sub:resolved", "sub:escalation", "sub:callback", "priority:high"],
      validFrom: null,
      validThrough: null,
      description: null,
    });
  });

  it("maps the API's answer back, recovering user tags changed outside Pulumi", () => {
    const entity = {
      ...codeToWire(desiredCode(inputs)),
      reportingTags: ["cat:support", "sub:resolved", "sub:escalation", "sub:callback", "team:b"],
      id: "c1",
      dateCreated: "2026-01-01T00:00:00.000Z",
      dateModified: "2026-01-02T00:00:00.000Z",
      createdBy: "ci",
      modifiedBy: "someone",
    };
    const stored = codeFromWire(entity, MATRIX, inputs);
    const state = codeState(inputs, stored, stored.queueIds ?? [], TUTORIAL, undefined);
    expect(state).toMatchObject({ tags: ["team:b"], codeId: "c1", modifiedBy: "someone", onConflict: "fail" });
    expect(state).not.toHaveProperty("validFrom");
  });
});
