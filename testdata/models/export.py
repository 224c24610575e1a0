#!/usr/bin/python3
"""Export torchvision models as stripped ONNX graphs (graph only, weights external and absent).

Same recipe as the other graphs in this folder (see README.md):
  - torchvision 0.14.1 / torch 1.13.1 (Debian bookworm: python3-torchvision, python3-torch), onnx (python3-onnx)
  - random weights (torch.manual_seed(0)), eval mode, batch 1, input 1x3x224x224 named `input`, output `output`
  - torch.onnx.export with the lowest opset that exports (13 unless given; eval mode fuses Conv+BatchNorm)
  - onnx.external_data_helper: every initializer keeps name, dims and dtype; its bytes go to `<name>.weights`
    (tensors under 1,024 bytes stay inline, onnx's default threshold), which is written to a temporary folder,
    measured and deleted: the metadata property `external_weights_length` records its length.

Rerun (from the repository root; needs about 1 GB of packages, no network besides apt):
  sudo apt-get install -y python3-torchvision python3-onnx
  /usr/bin/python3 testdata/models/export.py densenet121 vit_b_16          # writes testdata/models/<name>.onnx
  /usr/bin/python3 testdata/models/export.py --opset 14 vit_b_16            # another opset
The script prints, per model: opset, parameters, top-level node count, external weights length and output shape.
"""
import argparse
import os
import sys
import tempfile

import onnx
import torch
import torchvision
from onnx import external_data_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def export(name, opset, out_dir):
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None)
    model.eval()
    params = sum(p.numel() for p in model.parameters())
    x = torch.randn(1, 3, 224, 224)
    with tempfile.TemporaryDirectory() as tmp:
        full = os.path.join(tmp, name + ".full.onnx")
        torch.onnx.export(model, x, full, opset_version=opset, input_names=["input"], output_names=["output"],
                          training=torch.onnx.TrainingMode.EVAL, do_constant_folding=True)
        proto = onnx.load(full)
        onnx.checker.check_model(proto)
        location = name + ".weights"
        external_data_helper.convert_model_to_external_data(proto, all_tensors_to_one_file=True,
                                                            location=location)
        # writes the bytes to <tmp>/<name>.weights and clears raw_data in the proto
        external_data_helper.write_external_data_tensors(proto, tmp)
        length = os.path.getsize(os.path.join(tmp, location))
    entry = proto.metadata_props.add()
    entry.key = "external_weights_length"
    entry.value = str(length)
    target = os.path.join(out_dir, name + ".onnx")
    with open(target, "wb") as f:
        f.write(proto.SerializeToString())
    out_shape = [d.dim_value for d in proto.graph.output[0].type.tensor_type.shape.dim]
    print("%s: opset %d, %.1f M params, %d top-level nodes, external_weights_length %d, output %s, %d bytes -> %s"
          % (name, opset, params / 1e6, len(proto.graph.node), length, out_shape, os.path.getsize(target), target))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--opset", type=int, default=13)
    parser.add_argument("--out", default=HERE)
    parser.add_argument("models", nargs="+", help="torchvision model names, e.g. densenet121 vit_b_16")
    args = parser.parse_args()
    for name in args.models:
        export(name, args.opset, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
