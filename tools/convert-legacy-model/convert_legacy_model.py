#!/usr/bin/python3
"""Convert the original service's model artifacts to the formats Process Optimizer loads.

The original stores a PyTorch state_dict (.pth) of a fixed network -- (Linear, BatchNorm1d, GELU, Dropout)
repeated, then a final Linear -- and a pickled dict of scikit-learn scalers (.pkl). This writes:

  <out>/<name>_model.onnx     one input [batch, n_inputs] and one output [batch, n_outputs], float32,
                              dynamic batch, opset 17
  <out>/<name>_scalers.json   {VAR: {"kind": "MinMaxScaler", "min_": m, "scale_": s}} or
                              {VAR: {"kind": "StandardScaler", "mean_": m, "scale_": s}}
  <out>/<name>_metadata.json  the model's inputs and outputs in training order, plus the legacy metadata

Layer sizes are read from the state_dict, not assumed. Optionally it rewrites the paths of one
InferenceModel skill in a strategy file, leaving the rest of the file byte for byte as it was.

Run with Debian's /usr/bin/python3 (python3-torch, python3-sklearn).
"""
import argparse
import json
import pickle
import re
import sys
from collections import OrderedDict

import torch
from torch import nn


class LegacyNetwork(nn.Module):
    """The original architecture, sized from a state_dict: blocks of Linear-BatchNorm-GELU-Dropout, then Linear."""

    def __init__(self, sizes, batch_norm):
        super().__init__()
        layers = []
        for i in range(len(sizes) - 2):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
            if batch_norm[i]:
                layers.append(nn.BatchNorm1d(sizes[i + 1]))
            layers.append(nn.GELU())
            layers.append(nn.Dropout(0.0))
        layers.append(nn.Linear(sizes[-2], sizes[-1]))
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)


def group_parameters(state_dict):
    """Group tensors by module prefix, in registration order: the order in which the network uses them."""
    groups = OrderedDict()
    for key, value in state_dict.items():
        prefix, _, leaf = key.rpartition(".")
        groups.setdefault(prefix, {})[leaf] = value
    linears, norms = [], []
    for prefix, tensors in groups.items():
        if "running_mean" in tensors:
            norms.append((prefix, tensors))
        elif "weight" in tensors and tensors["weight"].dim() == 2:
            linears.append((prefix, tensors))
        else:
            raise ValueError(f"unexpected parameters under '{prefix}': {sorted(tensors)}")
    return list(groups), linears, norms


def load_network(state_dict):
    order, linears, norms = group_parameters(state_dict)
    if len(linears) < 1:
        raise ValueError("the state_dict holds no Linear layer")
    sizes = [linears[0][1]["weight"].shape[1]] + [t["weight"].shape[0] for _, t in linears]
    # A BatchNorm follows hidden Linear i when it comes after it and before the next Linear.
    position = {prefix: i for i, prefix in enumerate(order)}
    batch_norm = []
    for i in range(len(linears) - 1):
        start, end = position[linears[i][0]], position[linears[i + 1][0]]
        batch_norm.append(any(start < position[p] < end for p, _ in norms))
    network = LegacyNetwork(sizes, batch_norm)
    source_linears = iter(linears)
    source_norms = iter(norms)
    for module in network.layers:
        if isinstance(module, nn.Linear):
            _, tensors = next(source_linears)
            module.weight.data.copy_(tensors["weight"])
            module.bias.data.copy_(tensors["bias"])
        elif isinstance(module, nn.BatchNorm1d):
            _, tensors = next(source_norms)
            for name in ("weight", "bias", "running_mean", "running_var"):
                getattr(module, name).data.copy_(tensors[name])
    network.eval()
    return network, sizes


def scaler_to_json(name, scaler):
    kind = type(scaler).__name__

    def single(values, attribute):
        values = [float(v) for v in getattr(values, "ravel", lambda: [values])()]
        if len(values) != 1:
            raise ValueError(f"scaler '{name}': {attribute} has {len(values)} features; one scaler per variable is expected")
        return values[0]

    if kind == "MinMaxScaler":
        return {"kind": kind, "min_": single(scaler.min_, "min_"), "scale_": single(scaler.scale_, "scale_")}
    if kind == "StandardScaler":
        return {"kind": kind, "mean_": single(scaler.mean_, "mean_"), "scale_": single(scaler.scale_, "scale_")}
    raise ValueError(f"scaler '{name}' is a {kind}; only MinMaxScaler and StandardScaler are supported")


def export_onnx(network, n_inputs, path):
    example = torch.zeros(2, n_inputs, dtype=torch.float32)
    torch.onnx.export(
        network, example, path, input_names=["input"], output_names=["output"],
        dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=17)


def rewrite_strategy(path, skill, keys):
    """Replace the three path values of one skill, keeping every other byte of the file."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    match = re.search(rf"(?m)^(\s*){re.escape(skill)}:\s*$", text)
    if not match:
        raise ValueError(f"skill '{skill}' is not in {path}")
    indent = len(match.group(1))
    end = re.compile(rf"(?m)^\s{{0,{indent}}}\S").search(text, match.end())
    block_end = end.start() if end else len(text)
    block = text[match.end():block_end]
    for field, value in keys.items():
        block, count = re.subn(rf"(?m)^(\s*{field}:\s*).*$", lambda m: m.group(1) + value, block, count=1)
        if count == 0:
            raise ValueError(f"skill '{skill}' in {path} has no '{field}'")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text[:match.end()] + block + text[block_end:])


def convert(state_dict_path, scalers_path, out_dir, name, inputs, outputs, legacy_metadata_path=None):
    state_dict = torch.load(state_dict_path, map_location="cpu")
    if not isinstance(state_dict, dict):
        raise ValueError(f"{state_dict_path} is not a state_dict (got {type(state_dict).__name__})")
    network, sizes = load_network(state_dict)
    if inputs is not None and len(inputs) != sizes[0]:
        raise ValueError(f"the network takes {sizes[0]} inputs but {len(inputs)} were named")
    if outputs is not None and len(outputs) != sizes[-1]:
        raise ValueError(f"the network gives {sizes[-1]} outputs but {len(outputs)} were named")
    with open(scalers_path, "rb") as f:
        scalers = pickle.load(f)
    scalers_json = {key: scaler_to_json(key, value) for key, value in scalers.items()}
    legacy = None
    if legacy_metadata_path:
        with open(legacy_metadata_path, encoding="utf-8") as f:
            legacy = json.load(f)

    model_path = f"{out_dir}/{name}_model.onnx"
    export_onnx(network, sizes[0], model_path)
    with open(f"{out_dir}/{name}_scalers.json", "w", encoding="utf-8") as f:
        json.dump(scalers_json, f, indent=2)
    metadata = {"architecture": "legacy Linear-BatchNorm-GELU-Dropout", "layer_sizes": sizes, "legacy": legacy}
    if inputs is not None:
        metadata["inputs"] = inputs
    if outputs is not None:
        metadata["outputs"] = outputs
    with open(f"{out_dir}/{name}_metadata.json", "w", encoding="utf-8") as f:
        json.dump(metadata, f, indent=2)
    return network, scalers


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state-dict", required=True, help="the legacy model .pth (a state_dict)")
    parser.add_argument("--scalers", required=True, help="the legacy scalers .pkl (a dict of scikit-learn scalers)")
    parser.add_argument("--metadata", help="the legacy metadata .json, kept inside the new metadata")
    parser.add_argument("--out-dir", required=True, help="folder for the new files")
    parser.add_argument("--name", required=True, help="file name prefix, for example Burning_zone_temperature")
    parser.add_argument("--inputs", help="comma-separated model inputs in training order (the skill's inputs)")
    parser.add_argument("--outputs", help="comma-separated model outputs (the skill's outputs)")
    parser.add_argument("--strategy", help="a strategy file whose skill paths to rewrite in place")
    parser.add_argument("--skill", help="the InferenceModel skill to rewrite in --strategy")
    parser.add_argument("--key-prefix", default="", help="store key prefix of --out-dir, for the rewritten paths")
    args = parser.parse_args(argv)
    split = lambda text: [s.strip() for s in text.split(",")] if text else None
    try:
        convert(args.state_dict, args.scalers, args.out_dir, args.name, split(args.inputs), split(args.outputs), args.metadata)
        if args.strategy:
            if not args.skill:
                raise ValueError("--strategy needs --skill")
            prefix = args.key_prefix.rstrip("/") + "/" if args.key_prefix else ""
            rewrite_strategy(args.strategy, args.skill, {
                "model_path": f"{prefix}{args.name}_model.onnx",
                "scaler_path": f"{prefix}{args.name}_scalers.json",
                "metadata_path": f"{prefix}{args.name}_metadata.json",
            })
    except (ValueError, KeyError, OSError, pickle.UnpicklingError) as error:
        print(f"convert-legacy-model: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
