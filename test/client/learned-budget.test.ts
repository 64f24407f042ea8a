import { LearnedBudget } from "../../provider/src/client/learned-budget";

// The budget learned from 429s (the platform sends no inin-ratelimit-* headers): pure, with a fake clock.

const settings = { windowMs: 60_000, share: 1, growth: 0.05, minSample: 20, minRetryAfterMs: 5_000 };

function spend(budget: LearnedBudget, count: number, at: number): void {
  for (let i = 0; i < count; i++) budget.recordStart(at);
}

describe("LearnedBudget", () => {
  it("holds nothing back before a 429", () => {
    const budget = new LearnedBudget(settings);
    spend(budget, 1000, 0);
    expect(budget.budget).toBeUndefined();
    expect(budget.waitMs(1)).toBe(0);
  });

  it("learns the requests the platform allowed in the window, then keeps any window at that many", () => {
    const budget = new LearnedBudget(settings);
    spend(budget, 300, 1_000);
    budget.recordStart(2_000); // the refused one
    budget.onRateLimited(2_000, 58_000);
    expect(budget.budget).toBe(300);
    // The window still holds 301 starts: the next may go when the oldest leave it.
    expect(budget.waitMs(2_000)).toBe(59_000);
    expect(budget.waitMs(61_001)).toBe(0);
  });

  it("does not learn from a 429 that asks for a short wait (a burst, a fault) or from a few requests", () => {
    const short = new LearnedBudget(settings);
    spend(short, 100, 0);
    short.onRateLimited(10, 1_000);
    expect(short.budget).toBeUndefined();
    const few = new LearnedBudget(settings);
    spend(few, 5, 0);
    few.onRateLimited(10, 30_000);
    expect(few.budget).toBeUndefined();
  });

  it("is not lowered by the 429s of requests that were already in flight", () => {
    const budget = new LearnedBudget(settings);
    spend(budget, 300, 0);
    budget.onRateLimited(100, 59_000);
    const learned = budget.budget;
    budget.recordStart(200);
    budget.onRateLimited(200, 59_000);
    expect(budget.budget).toBe(learned);
  });

  it("grows back slowly while no 429 comes", () => {
    const budget = new LearnedBudget(settings);
    spend(budget, 201, 0);
    budget.onRateLimited(0, 60_000);
    expect(budget.budget).toBe(200);
    budget.waitMs(60_000 * 2);
    expect(budget.budget).toBe(Math.ceil(200 * 1.05 ** 2));
  });
});
