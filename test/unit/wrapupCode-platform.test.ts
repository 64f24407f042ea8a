import { checkWrapUpCode, codeState, diffWrapUpCode } from "../../provider/src/resources/wrapupCode";
import type { WrapUpCodeInputs } from "../../provider/src/resources/wrapupCode";
import { desiredCode, holdsDeclared } from "../../provider/src/resources/wrapupCode/state";
import { codeTraits } from "../../provider/src/profiles/traits";
import { codeFromWire, codeToWire } from "../../provider/src/profiles/platform/wire";
import { DEFAULT_DISPOSITION_MATRIX as MATRIX } from "../../provider/src/matrix";
import { UNKNOWN } from "../../provider/src/unknown";

// The WrapUpCode rules on the platform profile: a code is a name, a description and a division on 0..n queues;
// everything else is the stack's own (state only).

const PLATFORM = codeTraits("platform");
const TUTORIAL = codeTraits("tutorial");
const Q1 = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e01";
const Q2 = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e02";
const DIVISION = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4d01";
const valid = { name: "Technical Escalation", code: "ESC_TECH", category: "support", queueIds: [Q1, Q2] };

const check = (news: Record<string, unknown>) => checkWrapUpCode(news, MATRIX, PLATFORM);
const inputsOf = (news: Record<string, unknown>) => check(news).inputs as unknown as WrapUpCodeInputs;

function stateOf(news: Record<string, unknown>): Record<string, unknown> {
  const inputs = inputsOf(news);
  const stored = { id: "c1", name: inputs.name, description: inputs.description, divisionId: DIVISION };
  return codeState(inputs, stored, inputs.queueIds, PLATFORM, undefined) as unknown as Record<string, unknown>;
}

describe("WrapUpCode check on the platform profile", () => {
  it("takes any number of queues, none included", () => {
    expect(check(valid).failures).toEqual([]);
    expect(check({ ...valid, queueIds: [] }).failures).toEqual([]);
    expect(check({ ...valid, queueIds: undefined }).inputs.queueIds).toEqual([]);
  });

  it("folds the one-queue shorthand into queueIds", () => {
    const { inputs, failures } = check({ ...valid, queueIds: undefined, queueId: Q1 });
    expect(failures).toEqual([]);
    expect(inputs.queueIds).toEqual([Q1]);
    expect(inputs).not.toHaveProperty("queueId");
  });

  it("refuses queueId and queueIds together, a queue named twice, and ids that are not UUIDs", () => {
    expect(check({ ...valid, queueId: Q1 }).failures).toEqual([
      {
        property: "queueIds",
        reason: "queueIds: give queueId (the one-queue shorthand) or queueIds (any number of queues), not both",
      },
    ]);
    expect(check({ ...valid, queueIds: [Q1, Q1.toUpperCase()] }).failures[0].reason).toBe(
      "queueIds: must not name a queue twice",
    );
    expect(check({ ...valid, queueIds: [Q1, "nope"] }).failures[0].reason).toContain("[1] must be a UUID");
  });

  it("takes a division id, and the tutorial profile refuses one", () => {
    expect(check({ ...valid, divisionId: DIVISION }).failures).toEqual([]);
    expect(check({ ...valid, divisionId: "home" }).failures[0].reason).toContain("divisionId: must be a UUID");
    const tutorial = checkWrapUpCode({ ...valid, queueIds: [Q1], divisionId: DIVISION }, MATRIX, TUTORIAL);
    expect(tutorial.failures.map((f) => f.reason)).toEqual([
      'divisionId: the tutorial API has no divisions (genesys:apiProfile is "tutorial"); remove it',
    ]);
  });

  it("holds the tutorial profile to exactly one queue", () => {
    const two = checkWrapUpCode(valid, MATRIX, TUTORIAL);
    expect(two.failures.map((f) => f.reason)).toEqual([
      "queueIds: the tutorial API holds each code in exactly one queue, got 2; use queueId",
    ]);
    const none = checkWrapUpCode({ ...valid, queueIds: undefined }, MATRIX, TUTORIAL);
    expect(none.failures[0].reason).toContain("queueId: is required");
  });

  it("keeps the product's rules for what the platform does not hold", () => {
    const reasons = check({ ...valid, code: "bad/code", category: "billing", tags: ["UP"] }).failures.map(
      (f) => f.property,
    );
    expect(reasons.sort()).toEqual(["category", "code", "tags"]);
  });
});

describe("WrapUpCode diff on the platform profile", () => {
  const state = stateOf(valid);

  it("sees no change when nothing changed, the queue order and the platform's division included", () => {
    expect(diffWrapUpCode(state, check({ ...valid, queueIds: [Q2, Q1] }).inputs, PLATFORM).changes).toBe(false);
  });

  it("never replaces: a new short code, a queue move and a rename are updates", () => {
    for (const edit of [{ code: "ESC2" }, { queueIds: [Q2] }, { name: "Escalated" }, { category: "sales" }]) {
      const outcome = diffWrapUpCode(state, check({ ...valid, ...edit }).inputs, PLATFORM);
      expect(outcome).toMatchObject({ changes: true, replaces: [], deleteBeforeReplace: false });
    }
  });

  it("compares a division only when one is declared", () => {
    const declared = check({ ...valid, divisionId: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4d00" }).inputs;
    expect(diffWrapUpCode(state, declared, PLATFORM).changed).toEqual(["divisionId"]);
    expect(diffWrapUpCode(state, check({ ...valid, divisionId: DIVISION }).inputs, PLATFORM).changes).toBe(false);
  });

  it("reads a state written before queueIds existed (queueId only) as that one queue", () => {
    const { queueIds: _queueIds, ...old } = stateOf({ ...valid, queueIds: [Q1] });
    const news = check({ ...valid, queueIds: undefined, queueId: Q1 }).inputs;
    expect(diffWrapUpCode({ ...old, queueId: Q1 }, news, PLATFORM).changes).toBe(false);
  });

  it("counts an unknown queue list as a possible change", () => {
    expect(diffWrapUpCode(state, check({ ...valid, queueIds: [UNKNOWN] }).inputs, PLATFORM).changed).toEqual([
      "queueIds",
    ]);
  });
});

describe("WrapUpCode state on the platform profile", () => {
  it("sends only name, description and division", () => {
    const desired = desiredCode(inputsOf({ ...valid, description: "second line", divisionId: DIVISION }));
    expect(codeToWire(desired)).toEqual({ name: valid.name, description: "second line", division: { id: DIVISION } });
    expect(codeToWire(desiredCode(inputsOf(valid)))).toEqual({ name: valid.name });
    // A PUT that drops a description says so.
    expect(codeToWire(desiredCode(inputsOf(valid)), true)).toEqual({ name: valid.name, description: "" });
  });

  it("takes the held fields from the platform and keeps the stack's own", () => {
    const inputs = inputsOf({ ...valid, mandatory: true, tags: ["team:a"] });
    const stored = codeFromWire({
      id: "c9",
      name: "Renamed In The UI",
      description: "",
      division: { id: DIVISION, name: "Europe" },
      dateCreated: "2026-11-30T10:00:00.000Z",
      createdBy: "client-1",
    });
    const state = codeState(inputs, stored, [Q1], PLATFORM, undefined);
    expect(state).toMatchObject({
      name: "Renamed In The UI",
      code: "ESC_TECH",
      category: "support",
      mandatory: true,
      tags: ["team:a"],
      queueIds: [Q1],
      queueId: Q1,
      divisionId: DIVISION,
      codeId: "c9",
      createdBy: "client-1",
    });
    expect(state).not.toHaveProperty("description");
  });

  it("adopts without a write only when the platform already holds the declaration", () => {
    const desired = desiredCode(inputsOf({ ...valid, description: "d" }));
    const same = { id: "c1", name: valid.name, description: "d", divisionId: DIVISION };
    expect(holdsDeclared(same, desired, PLATFORM)).toBe(true);
    expect(holdsDeclared({ ...same, name: valid.name.toUpperCase() }, desired, PLATFORM)).toBe(false);
    expect(holdsDeclared({ ...same, description: undefined }, desired, PLATFORM)).toBe(false);
    const withDivision = desiredCode(
      inputsOf({ ...valid, description: "d", divisionId: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4d00" }),
    );
    expect(holdsDeclared(same, withDivision, PLATFORM)).toBe(false);
  });
});
