/** TEST HELPER: one running OpenCart per release per test file, skipped locally when PHP or the archives are missing. */
import { openCartHarnessUnavailableReason } from '../src';

const reason = openCartHarnessUnavailableReason();
if (reason && process.env.CI !== 'true') {
  console.warn(`opencart-harness tests skipped: ${reason}`);
}

/** describe, or describe.skip when the harness cannot run here (never under CI=true: there the tests fail). */
export const describeOpenCart: jest.Describe = reason && process.env.CI !== 'true' ? describe.skip : describe;
