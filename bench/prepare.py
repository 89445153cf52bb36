"""Writes every row's model files under bench/work/ (git-ignored) and bench/work/models.json,
which the JVM harness reads: the PyTorch module, its ONNX export (real torch.onnx.export, batch
axis dynamic), the Keras files of fixture rows. Cheap to rerun; models that need building are
seeded, so every run times the same weights.

    python3 bench/prepare.py ROOT
"""
import json
import sys
from pathlib import Path

import torch

from models import MODELS


def resnet18():
    import torchvision
    torch.manual_seed(0)
    return seeded_statistics(torchvision.models.resnet18(weights=None))


def mobilenet_v2():
    import torchvision
    torch.manual_seed(0)
    return seeded_statistics(torchvision.models.mobilenet_v2(weights=None))


def seeded_statistics(m):
    """Non-trivial BatchNorm running statistics, so a folded BatchNorm is checked against real values."""
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, torch.nn.BatchNorm2d):
                mod.running_mean.uniform_(-0.2, 0.2)
                mod.running_var.uniform_(0.5, 1.5)
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.2, 0.2)
    return m


class LstmClassifier(torch.nn.Module):
    """nn.LSTM(64, 128) over (batch, 50, 64), a Linear head on the last hidden state (Sequent's
    bench/src/main/java/dev/sequent/bench/LstmClassifier.java, by state_dict order)."""
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(64, 128, batch_first=True)
        self.fc = torch.nn.Linear(128, 10)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return self.fc(h[-1])


def lstm_classifier():
    torch.manual_seed(0)
    return LstmClassifier()


class TransformerClassifier(torch.nn.Module):
    """nn.TransformerEncoder of two nn.TransformerEncoderLayer(64, 4, 128, gelu, batch_first) over
    (batch, 32, 64), the mean over time and a Linear head (Sequent's
    bench/src/main/java/dev/sequent/bench/TransformerClassifier.java, by name)."""
    def __init__(self):
        super().__init__()
        layer = torch.nn.TransformerEncoderLayer(64, 4, 128, dropout=0.1, activation="gelu", batch_first=True)
        self.encoder = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = torch.nn.Linear(64, 10)

    def forward(self, x):
        return self.head(self.encoder(x).mean(dim=1))


def transformer_classifier():
    torch.manual_seed(0)
    return TransformerClassifier()


def main(root: Path):
    work = root / "bench" / "work"
    rows = []
    for row in MODELS:
        out = work / row["name"]
        out.mkdir(parents=True, exist_ok=True)
        entry = dict(row)
        if "fixture" in row:
            fx = root / "fixtures" / "reference" / row["fixture"]
            model = torch.load(fx / "torch_model.pt", weights_only=False)
            entry["torch_model"] = str(fx / "torch_model.pt")
            entry["sequent_file"] = str(fx / "torch_model.pt")
            entry["keras3"] = str(fx / "keras3.keras")
            entry["keras2_h5"] = str(fx / "keras2.h5")
        else:
            model = globals()[row["build"]]()
            torch.save(model, out / "torch_model.pt")
            entry["torch_model"] = str(out / "torch_model.pt")
            if row.get("export"):
                model.eval()
                program = torch.export.export(
                    model, (torch.rand(2, *row["input"]),),
                    dynamic_shapes=({0: torch.export.Dim("batch", min=1, max=1024)},))
                torch.export.save(program, out / "model.pt2")
                entry["sequent_file"] = str(out / "model.pt2")
            else:
                torch.save(model.state_dict(), out / "torch_state_dict.pt")
                entry["sequent_weights"] = str(out / "torch_state_dict.pt")
            entry["keras_missing"] = ("no Keras twin of this model yet (the copier that writes one for "
                                      "a PyTorch model is issue 17)")
        model.eval()
        onnx = out / "model.onnx"
        # torch.onnx warns that an LSTM exported at a batch other than 1 may fail at other batch sizes
        x = torch.rand(row.get("export_batch", 2), *row["input"])
        # the TorchScript-based exporter (dynamo=False): real torch.onnx.export, no onnxscript needed
        torch.onnx.export(model, (x,), str(onnx), input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=17,
                          dynamo=False)
        entry["onnx"] = str(onnx)
        rows.append(entry)
    (work / "models.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
