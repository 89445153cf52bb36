"""The benchmark's rows, shared by every side of bench/run. Add a row here (and, for a model that
Sequent builds from Java, its @Module in src/main/java/dev/sequent/bench) and every system picks
it up: prepare.py writes its files, the Python and JVM harnesses time what exists.

Each row: name (the key in results), label (the table's), input (one sample, PyTorch layout),
keras_input (one sample as the Keras file takes it, or None), and where the model comes from:
  fixture: a directory of fixtures/reference (real torch/Keras files, see fixtures/README.md)
  build:   a function of prepare.py that makes the PyTorch model (seeded) when no fixture exists
  module:  the Sequent @Module class for models loaded by state_dict order instead of from a file
  export:  True: Sequent loads the model's torch.export program (torch.export.save, batch a Dim)
           with Network.load, as a user of a torchvision model would (no Java model needed)
  export_batch: the batch of the ONNX export's example input (default 2; 1 for an LSTM, which
           torch.onnx otherwise may tie to that batch)
"""

MODELS = [
    dict(name="mlp", label="MLP 784-128-10", input=[784], keras_input=[784], fixture="mlp"),
    dict(name="lenet5", label="LeNet-5", input=[1, 28, 28], keras_input=[28, 28, 1], fixture="lenet5"),
    dict(name="cnn", label="CNN", input=[1, 28, 28], keras_input=[28, 28, 1],
         fixture="cnn"),
    dict(name="resnet18_64", label="ResNet-18 64x64", input=[3, 64, 64], keras_input=None,
         build="resnet18", module="dev.sequent.bench.ResNet18"),
    dict(name="lstm", label="LSTM(128) 50x64", input=[50, 64], keras_input=None, build="lstm_classifier",
         module="dev.sequent.bench.LstmClassifier", export_batch=1),
    dict(name="transformer", label="Transformer enc. 2x64 32 steps", input=[32, 64], keras_input=None,
         build="transformer_classifier", module="dev.sequent.bench.TransformerClassifier"),
    dict(name="resnet18_224", label="ResNet-18 224x224", input=[3, 224, 224], keras_input=None,
         build="resnet18", export=True),
    dict(name="mobilenetv2", label="MobileNetV2 224x224", input=[3, 224, 224], keras_input=None,
         build="mobilenet_v2", export=True),
]

QUICK_BATCHES = [1, 8, 32]
FULL_BATCHES = [1, 8, 32]
