"""The annotation processor's time per model: writes N generated @Module sources (seeded: MLPs and
CNNs of 3 to 40 layers, PyTorch and Keras annotations), compiles all of them with javac and the
Sequent processor, and again with -proc:none (the same sources, no processing); the difference over
N is the processor's time per model (parsing, shape inference, validation, writing and compiling
the generated companions). Each javac run is repeated; medians. Writes bench/results/processor.json.

    python3 bench/processor_time.py ROOT [N] [REPEATS]
"""
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def torch_cnn(rng, name):
    lines = ["@Module(input = {1, 28, 28})", f"public interface {name} {{"]
    size, n = 28, 0
    for _ in range(rng.randint(1, 4)):
        if size < 6:
            break
        for _ in range(rng.randint(1, 3)):
            lines.append(f"  @Conv2d(out = {rng.choice([4, 8, 16, 32])}, kernel = 3, padding = 1) Layer c{n}();")
            if rng.random() < 0.5:
                lines.append(f"  @BatchNorm2d Layer bn{n}();")
            lines.append(f"  @ReLU Layer r{n}();")
            n += 1
        lines.append(f"  @MaxPool2d(2) Layer p{n}();")
        size //= 2
        n += 1
    lines.append("  @Flatten Layer flat();")
    for _ in range(rng.randint(0, 3)):
        lines.append(f"  @Linear(out = {rng.choice([32, 64, 128])}) Layer d{n}();")
        lines.append(f"  @ReLU Layer dr{n}();")
        n += 1
    lines.append("  @Linear(out = 10) Layer head();")
    return "\n".join(lines) + "\n}\n", "import dev.sequent.dsl.torch.*;"


def keras_mlp(rng, name):
    lines = [f"@Module(input = {{{rng.choice([16, 64, 784])}}})", f"public interface {name} {{"]
    for i in range(rng.randint(2, 30)):
        act = rng.choice(["relu", "tanh", "gelu", "sigmoid"])
        lines.append(f"  @Dense(units = {rng.choice([8, 32, 128, 256])}, activation = \"{act}\") Layer d{i}();")
        if rng.random() < 0.3:
            lines.append(f"  @Dropout(rate = 0.1) Layer drop{i}();")
    lines.append("  @Dense(units = 10, activation = \"softmax\") Layer out();")
    return "\n".join(lines) + "\n}\n", "import dev.sequent.dsl.keras.*;"


def write_sources(src: Path, n: int):
    rng = random.Random(0)
    files = []
    for i in range(n):
        name = f"Model{i:03d}"
        body, imports = (torch_cnn if i % 2 == 0 else keras_mlp)(rng, name)
        text = ("package gen;\n\nimport dev.sequent.dsl.Layer;\nimport dev.sequent.dsl.Module;\n"
                f"{imports}\n\n{body}")
        f = src / f"{name}.java"
        f.write_text(text)
        files.append(str(f))
    return files


def javac(args, out: Path):
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    t0 = time.monotonic()
    r = subprocess.run(["javac", "-d", str(out), "-s", str(out / "generated")] + args, capture_output=True, text=True)
    elapsed = time.monotonic() - t0
    if r.returncode != 0:
        sys.exit("javac failed:\n" + r.stdout + r.stderr)
    return elapsed


def main(root: Path, n: int, repeats: int):
    work = root / "bench" / "work" / "processor"
    src = work / "src" / "gen"
    if work.exists():
        shutil.rmtree(work)
    src.mkdir(parents=True)
    files = write_sources(src, n)
    cp_file = work / "processor.classpath"
    subprocess.run(["mvn", "-B", "-q", "-o", "-pl", "processor", "-am", "compile"], cwd=root, check=True)
    subprocess.run(["mvn", "-B", "-q", "-o", "-pl", "processor", "dependency:build-classpath",
                    f"-Dmdep.outputFile={cp_file}", "-Dmdep.includeScope=runtime"], cwd=root, check=True)
    processor_path = str(root / "processor" / "target" / "classes") + os.pathsep + cp_file.read_text().strip()
    dsl = str(root / "dsl" / "target" / "classes")
    common = ["-cp", dsl, "-encoding", "UTF-8", "-J-XX:+UseParallelGC"]
    with_proc, without = [], []
    for _ in range(repeats):
        without.append(javac(common + ["-proc:none"] + files, work / "out-none"))
        with_proc.append(javac(common + ["-processorpath", processor_path] + files, work / "out-proc"))
    generated = sorted(p.name for p in (work / "out-proc" / "generated").rglob("*.java"))
    w, wo = statistics.median(with_proc), statistics.median(without)
    result = dict(models=n, repeats=repeats, javac_with_processor_s=w, javac_proc_none_s=wo,
                  processor_ms_per_model=(w - wo) * 1e3 / n, javac_with_processor_ms_per_model=w * 1e3 / n,
                  generated_sources=len(generated), all_with_processor_s=with_proc, all_proc_none_s=without,
                  load_average=open("/proc/loadavg").read().split()[:3])
    out = root / "bench" / "results" / "processor.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"{n} models: javac + processor {w:.2f} s, javac -proc:none {wo:.2f} s: the processor "
          f"{result['processor_ms_per_model']:.1f} ms per model ({len(generated)} generated sources)")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), int(sys.argv[2]) if len(sys.argv) > 2 else 200,
         int(sys.argv[3]) if len(sys.argv) > 3 else 3)
