// Generates src/gen/ from the repository's protos/ (the only source of the API) with buf and
// protoc-gen-es, both from node_modules. buf needs every import inside one folder, so the
// ActorCrm protos and google/rpc/status.proto (from google-proto-files) are staged in .generated/
// first; the well-known google/protobuf types are built into buf.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const staged = join(app, ".generated", "protos");
const googleProtos = dirname(createRequire(import.meta.url).resolve("google-proto-files/package.json"));

rmSync(staged, { recursive: true, force: true });
mkdirSync(join(staged, "google", "rpc"), { recursive: true });
cpSync(join(app, "..", "..", "protos", "actorcrm"), join(staged, "actorcrm"), { recursive: true });
cpSync(join(googleProtos, "google", "rpc", "status.proto"), join(staged, "google", "rpc", "status.proto"));

const bin = join(app, "node_modules", ".bin");
execFileSync(join(bin, "buf"), ["generate", staged, "--template", join(app, "buf.gen.yaml")], {
  cwd: app,
  stdio: "inherit",
  env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
});
