#!/usr/bin/python3
"""A plausible rotary cement kiln, minute by minute, with the original service's tag names.

Physics, simplified: the burning-zone temperature follows a first-order lag (25 min) towards a steady state
that rises with coal, falls with feed, rises with hot secondary air and with the calciner temperature, and
falls as the preheater fan pulls more gas through. Coal and feed act after a transport delay of 10 minutes.
Operators move coal, feed, fan and secondary air in small steps every few minutes; every signal is noisy.

Writes data/kiln-history.csv: a timestamp column plus one column per tag, one row per minute.
"""
import csv
import math
import os
import random
import sys
from datetime import datetime, timedelta, timezone

MINUTES = 3 * 24 * 60 + 120
DELAY = 10
TAU = 25.0


def clamp(value, low, high):
    return max(low, min(high, value))


def steady_burning_zone(coal, feed, secondary_air, fan, calciner):
    return (1440 + 35 * (coal - 12) - 0.8 * (feed - 245) + 0.05 * (secondary_air - 950)
            - 0.06 * (fan - 800) + 0.3 * (calciner - 880))


def simulate(seed=7):
    rng = random.Random(seed)
    coal, feed1, feed2, fan, secondary_air = 12.0, 240.0, 5.0, 800.0, 950.0
    calciner, burning_zone, noise = 880.0, 1440.0, 0.0
    coolers = {n: base for n, base in zip(range(3, 10), (50000, 58000, 38000, 43000, 37000, 47000, 62000))}
    past = []
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    rows = []
    for minute in range(MINUTES):
        # Operators: small moves every few minutes, within sensible ranges.
        if rng.random() < 0.15:
            coal = clamp(coal + rng.choice((-1, 1)) * rng.uniform(0.05, 0.25), 9.5, 14.5)
        if rng.random() < 0.10:
            feed1 = clamp(feed1 + rng.choice((-1, 1)) * rng.uniform(1, 5), 210, 275)
        if rng.random() < 0.01:
            feed2 = 0.0 if feed2 > 0 else 5.0
        if rng.random() < 0.05:
            fan = clamp(fan + rng.choice((-1, 1)) * rng.uniform(2, 10), 720, 880)
        if rng.random() < 0.08:
            secondary_air = clamp(secondary_air + rng.choice((-1, 1)) * rng.uniform(0.5, 3), 900, 995)
        feed = feed1 + feed2
        past.append((coal, feed))
        delayed_coal, delayed_feed = past[max(0, len(past) - 1 - DELAY)]
        calciner += (880 + 4 * (coal - 12) - 0.1 * (feed - 245) - calciner) / 15 + rng.gauss(0, 0.6)
        target = steady_burning_zone(delayed_coal, delayed_feed, secondary_air, fan, calciner)
        noise = 0.9 * noise + rng.gauss(0, 0.8)
        burning_zone += (target - burning_zone) / TAU
        for n in coolers:
            coolers[n] = clamp(coolers[n] + rng.gauss(0, 150), 25000, 80000)
        row = {
            "timestamp": (start + timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Burning_zone_temperature": burning_zone + noise,
            "Calciner_temperature_PV": calciner,
            "Kiln_Coal_PV": coal + rng.gauss(0, 0.01),
            "Kiln_Feed_SFF_1_Feed_rate": feed1 + rng.gauss(0, 0.3),
            "Kiln_Feed_SFF_2_Feed_rate": feed2,
            "PH_Fan_Speed_PV": fan + rng.gauss(0, 0.5),
            "Secondary_Air_Temperature": secondary_air + rng.gauss(0, 0.5),
        }
        row.update({f"Cooler_Fan_{n}_Flow": value for n, value in coolers.items()})
        rows.append(row)
    return rows


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rows = simulate()
    os.makedirs(os.path.join(here, "data"), exist_ok=True)
    path = os.path.join(here, "data", "kiln-history.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (f"{v:.4f}" if isinstance(v, float) else v) for k, v in row.items()})
    print(f"wrote {len(rows)} rows to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
