#!/usr/bin/env python3
"""Writes N revenue events as CSV (the `actorcrm import revenue` columns) for the import benchmark.

usage: gen_revenue.py ACCOUNTS_FILE N OUT.csv [--anchor 2026-11-27] [--seed 42]
ACCOUNTS_FILE: one account id per line (e.g. from `actorcrm list accounts --output json | jq -r .account_id`).
Events are spread over the 300 days before the anchor (inside the default 365-day window), at
Beijing office hours, with heavy-tailed amounts; ids are unique per account ("bench-inv-000000123").
Deterministic for a seed.
"""
import argparse, datetime, random

p = argparse.ArgumentParser()
p.add_argument("accounts"); p.add_argument("n", type=int); p.add_argument("out")
p.add_argument("--anchor", default="2026-11-27"); p.add_argument("--seed", type=int, default=42)
a = p.parse_args()
ids = [line.strip() for line in open(a.accounts, encoding="utf-8") if line.strip()]
rng = random.Random(a.seed)
anchor = datetime.datetime.fromisoformat(a.anchor).replace(tzinfo=datetime.timezone.utc)
weights = [min(rng.paretovariate(1.16), 50.0) for _ in ids]  # 80/20-ish, capped so no account nears the 100k-event ledger limit
with open(a.out, "w", encoding="utf-8", newline="") as f:
    f.write("event_id,account_id,amount_minor,currency_code,occurred_at\n")
    picks = rng.choices(range(len(ids)), weights=weights, k=a.n)
    for i, k in enumerate(picks):
        day = anchor - datetime.timedelta(days=rng.randrange(1, 300), hours=rng.randrange(0, 9), minutes=rng.randrange(60))
        amount = int(rng.lognormvariate(12.2, 0.9) * 100)
        f.write(f"bench-inv-{i:09d},{ids[k]},{amount},CNY,{day.strftime('%Y-%m-%dT%H:%M:%SZ')}\n")
