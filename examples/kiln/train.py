#!/usr/bin/python3
"""Train the burning-zone model on the simulated history, in the original service's format, and convert it.

The network has the original architecture (Linear-BatchNorm-GELU-Dropout three times, then Linear) and its
artifacts are written as the original wrote them -- a state_dict .pth and a pickled dict of scikit-learn
scalers -- and then converted with tools/convert-legacy-model, exactly as a user migrates. The example thus
exercises the migration path end to end.

Features at minute t, as the optimizer forms them (see SEED-NOTES, InferenceModel):
  delta_combined_Feed_rate, delta_Kiln_Coal_PV, delta_Secondary_Air_Temperature  (Increment: the move at t)
  Calciner_temperature_PV  (Informative, Absolute: mean of rows [t-38, t-9), lag 9 / offset 29)
  PH_Fan_Speed_PV          (Operative, Absolute: the value at t)
Target: delta_Burning_zone_temperature = BZT(t+45) - BZT(t).

Writes store/models/Burning_zone_temperature/*.onnx|json and reference-predictions.json.
"""
import csv
import json
import os
import pickle
import sys
import tempfile

import numpy as np
import torch
from sklearn.preprocessing import MinMaxScaler
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "convert-legacy-model"))
import convert_legacy_model  # noqa: E402

INPUTS = ["delta_combined_Feed_rate", "delta_Kiln_Coal_PV", "Calciner_temperature_PV",
          "delta_Secondary_Air_Temperature", "PH_Fan_Speed_PV"]
OUTPUT = "delta_Burning_zone_temperature"
HORIZON = 45
HIDDEN = 16


def load_history():
    with open(os.path.join(HERE, "data", "kiln-history.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    column = lambda name: np.array([float(r[name]) for r in rows])
    feed = column("Kiln_Feed_SFF_1_Feed_rate") + column("Kiln_Feed_SFF_2_Feed_rate")
    return {
        "feed": feed, "coal": column("Kiln_Coal_PV"), "calciner": column("Calciner_temperature_PV"),
        "air": column("Secondary_Air_Temperature"), "fan": column("PH_Fan_Speed_PV"),
        "bzt": column("Burning_zone_temperature"),
    }


def features(history):
    x, y = [], []
    for t in range(38, len(history["bzt"]) - HORIZON):
        x.append([
            history["feed"][t] - history["feed"][t - 1],
            history["coal"][t] - history["coal"][t - 1],
            history["calciner"][t - 38:t - 9].mean(),
            history["air"][t] - history["air"][t - 1],
            history["fan"][t],
        ])
        y.append(history["bzt"][t + HORIZON] - history["bzt"][t])
    return np.array(x), np.array(y)


class Network(nn.Module):
    def __init__(self, n_inputs):
        super().__init__()
        blocks = []
        size = n_inputs
        for _ in range(3):
            blocks += [nn.Linear(size, HIDDEN), nn.BatchNorm1d(HIDDEN), nn.GELU(), nn.Dropout(0.05)]
            size = HIDDEN
        blocks.append(nn.Linear(size, 1))
        self.net = nn.Sequential(*blocks)

    def forward(self, x):
        return self.net(x)


def main():
    torch.manual_seed(3)
    np.random.seed(3)
    x, y = features(load_history())
    # The original keys scalers by variable name without the delta_ prefix.
    scalers = {}
    scaled = np.empty_like(x)
    for i, name in enumerate(INPUTS):
        scaler = MinMaxScaler().fit(x[:, i:i + 1])
        scalers[name.removeprefix("delta_")] = scaler
        scaled[:, i] = scaler.transform(x[:, i:i + 1]).ravel()
    target_scaler = MinMaxScaler().fit(y.reshape(-1, 1))
    scalers[OUTPUT.removeprefix("delta_")] = target_scaler
    target = target_scaler.transform(y.reshape(-1, 1))

    network = Network(len(INPUTS))
    optimizer = torch.optim.Adam(network.parameters(), lr=0.01)
    inputs, labels = torch.tensor(scaled, dtype=torch.float32), torch.tensor(target, dtype=torch.float32)
    for epoch in range(400):
        network.train()
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(network(inputs), labels)
        loss.backward()
        optimizer.step()
    network.eval()
    print(f"training mse (scaled): {loss.item():.5f}", file=sys.stderr)

    out_dir = os.path.join(HERE, "store", "models", "Burning_zone_temperature")
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as legacy:
        torch.save(network.state_dict(), os.path.join(legacy, "model.pth"))
        with open(os.path.join(legacy, "scalers.pkl"), "wb") as f:
            pickle.dump(scalers, f)
        convert_legacy_model.convert(os.path.join(legacy, "model.pth"), os.path.join(legacy, "scalers.pkl"), out_dir,
                                     "Burning_zone_temperature", INPUTS, [OUTPUT])
    # The forecast horizon, which a backtest needs to score the model's predictions against what was measured.
    metadata_path = os.path.join(out_dir, "Burning_zone_temperature_metadata.json")
    with open(metadata_path, encoding="utf-8") as f:
        metadata = json.load(f)
    metadata["horizon_minutes"] = HORIZON
    with open(metadata_path, "w", encoding="utf-8") as f:
        json.dump(metadata, f, indent=2)

    # Reference predictions from the unconverted network, in the optimizer's units (before "current +").
    rng = np.random.default_rng(11)
    samples = np.concatenate([x[rng.choice(len(x), 16, replace=False)],
                              np.column_stack([rng.uniform(-4, 4, 8), rng.uniform(-0.3, 0.3, 8), rng.uniform(860, 900, 8),
                                               rng.uniform(-3, 3, 8), rng.uniform(720, 880, 8)])])
    scaled_samples = np.column_stack([scalers[n.removeprefix("delta_")].transform(samples[:, i:i + 1]).ravel() for i, n in enumerate(INPUTS)])
    with torch.no_grad():
        predicted = network(torch.tensor(scaled_samples, dtype=torch.float32)).numpy()
    predictions = target_scaler.inverse_transform(predicted.astype(np.float64)).ravel()
    references = [{"inputs": dict(zip(INPUTS, map(float, s))), "prediction": float(p)} for s, p in zip(samples, predictions)]
    with open(os.path.join(HERE, "reference-predictions.json"), "w", encoding="utf-8") as f:
        json.dump({"skill_inputs": INPUTS, "output": OUTPUT, "cases": references}, f, indent=2)
    print(f"wrote the model to {out_dir} and {len(references)} reference predictions", file=sys.stderr)


if __name__ == "__main__":
    main()
