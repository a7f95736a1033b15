/**
 * The grader's vitest setup file: it registers the sandbox as the seam's implementation provider
 * (spec/support/impl.ts), so the specs reach the submission only through the isolated child.
 */
import { registerImplProvider } from "../../../spec/support/impl-provider.ts";
import { connectSandbox } from "./client.ts";

registerImplProvider({ connect: connectSandbox });
