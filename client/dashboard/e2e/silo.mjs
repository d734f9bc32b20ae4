// A real silo for the end-to-end tests: the built ActorCrm.Silo.dll in its own process, in memory,
// with the demo book, on ports of its own (gRPC 7170, HTTP 7180, silo 11211, gateway 30100; override
// with E2E_GRPC_PORT, E2E_HTTP_PORT), serving this folder's dist/. It trusts three API keys: an
// admin, an analyst (who may not see personal profiles) and an account manager acting as the owner
// of the demo book's largest group (who sees only that group's accounts), and a service key that may
// read accounts but not the aggregates (which the dashboard is about). Stopped by its process id.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AccountService } from "../src/gen/actorcrm/v1/accounts_pb.js";
import { ContactService } from "../src/gen/actorcrm/v1/contacts_pb.js";
import { RankingService } from "../src/gen/actorcrm/v1/ranking_pb.js";
import { RevenueService } from "../src/gen/actorcrm/v1/revenue_pb.js";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const repository = join(app, "..", "..");

export const adminKey = "e2e-admin-key-3b9f1c7a5d2e";
export const analystKey = "e2e-analyst-key-8c4e2a6f0b1d";
export const managerKey = "e2e-manager-key-5a7c9e1b3d2f";
export const managerUserId = "u-zhou.ming"; // owns hengding-hq in the demo book
export const accountsOnlyServiceKey = "e2e-service-key-2d4f6a8c0e1b";
const grpcPort = Number(process.env.E2E_GRPC_PORT ?? 7170);
const httpPort = Number(process.env.E2E_HTTP_PORT ?? 7180);
export const pageUrl = `http://127.0.0.1:${httpPort}/`;

const sha256 = (text) => createHash("sha256").update(text, "utf8").digest("hex");

/** The built silo: SILO_DLL, else the Debug build (what .ci/run builds), else the Release build. */
function siloDll() {
  if (process.env.SILO_DLL) return process.env.SILO_DLL;
  const candidates = ["Debug", "Release"].map((c) => join(repository, "silo", "ActorCrm.Silo", "bin", c, "net10.0", "ActorCrm.Silo.dll"));
  const found = candidates.find(existsSync);
  if (!found) throw new Error(`no built silo: run dotnet build silo/ActorCrm.Silo (looked for ${candidates.join(", ")})`);
  return found;
}

export async function startSilo() {
  if (!existsSync(join(app, "dist", "index.html"))) throw new Error("dist/ is not built: run npm run build");
  const logDirectory = join(repository, ".state");
  mkdirSync(logDirectory, { recursive: true });
  const logPath = join(logDirectory, "e2e-silo.log");
  const log = openSync(logPath, "w");
  const settings = {
    "Storage:Provider": "Memory",
    "Demo:Seed": "true",
    "Endpoints:Grpc": `http://127.0.0.1:${grpcPort}`,
    "Endpoints:Http": `http://127.0.0.1:${httpPort}`,
    "Orleans:Endpoints:SiloPort": "11211",
    "Orleans:Endpoints:GatewayPort": "30100",
    "Orleans:ClusterId": "actorcrm-e2e",
    "Ranking:FlushIntervalMs": "100",
    "WebDashboard:Root": join(app, "dist"),
    "Auth:ApiKeys:e2e-admin:Sha256": sha256(adminKey),
    "Auth:ApiKeys:e2e-admin:Role": "admin",
    "Auth:ApiKeys:e2e-admin:RequestsPerSecond": "0",
    "Auth:ApiKeys:e2e-analyst:Sha256": sha256(analystKey),
    "Auth:ApiKeys:e2e-analyst:Role": "analyst",
    "Auth:ApiKeys:e2e-analyst:RequestsPerSecond": "0",
    "Auth:ApiKeys:e2e-manager:Sha256": sha256(managerKey),
    "Auth:ApiKeys:e2e-manager:Role": "account_manager",
    "Auth:ApiKeys:e2e-manager:UserId": managerUserId,
    "Auth:ApiKeys:e2e-manager:RequestsPerSecond": "0",
    "Auth:ApiKeys:e2e-service:Sha256": sha256(accountsOnlyServiceKey),
    "Auth:ApiKeys:e2e-service:Role": "service",
    "Auth:ApiKeys:e2e-service:Permissions:0": "read_accounts",
  };
  const child = spawn("dotnet", [siloDll(), ...Object.entries(settings).map(([key, value]) => `--${key}=${value}`)], {
    stdio: ["ignore", log, log],
  });
  const silo = {
    pid: child.pid,
    logPath,
    admin: clients(adminKey),
    analyst: clients(analystKey),
    manager: clients(managerKey),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(child.pid, "SIGTERM");
      const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitUntil(async () => (await fetch(`${pageUrl}health/ready`)).ok, 90_000, () => child.exitCode !== null);
    await waitUntil(async () => readFileSync(logPath, "utf8").includes("Demo seed loaded"), 60_000, () => child.exitCode !== null);
    // The ranking publishes within a flush interval of the last revenue event.
    await waitUntil(async () => (await silo.admin.ranking.getConcentration({})).accountCount > 0n, 10_000);
  } catch (error) {
    await silo.stop();
    throw new Error(`the silo did not get ready (${error.message}); its log: ${logPath}\n${readFileSync(logPath, "utf8").slice(-4000)}`);
  }
  return silo;
}

/** The public API over gRPC (HTTP/2) as the holder of `key`. */
function clients(key) {
  const transport = createGrpcTransport({
    baseUrl: `http://127.0.0.1:${grpcPort}`,
    interceptors: [(next) => (request) => {
      request.header.set("x-api-key", key);
      return next(request);
    }],
  });
  return {
    accounts: createClient(AccountService, transport),
    contacts: createClient(ContactService, transport),
    ranking: createClient(RankingService, transport),
    revenue: createClient(RevenueService, transport),
  };
}

export async function waitUntil(condition, timeoutMs, gaveUp = () => false) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (gaveUp()) throw new Error("the process exited");
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms${lastError ? `: ${lastError.message}` : ""}`);
}
