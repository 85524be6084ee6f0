// Run by `python3 dev.py site` (with the Node.js of the site extra), two jobs
// for a fast first load:
//
// 1. Start Pyodide once, import the standard-library modules glassgrad uses,
//    and save the interpreter's memory, gzipped. The page starts from this
//    snapshot instead of starting Python from scratch.
// 2. Add bytecode for this Python (the site's, not the builder's) to
//    glassgrad's wheel, beside its sources, so that the page imports it
//    without compiling it first.
//
// Both come out the same bytes on every build with the same Node: whatever
// the interpreter reads from its surroundings while it starts is fixed here
// (the clock, at SOURCE_DATE_EPOCH; the time zone; its environment and
// program name; the seeds of str hashing and of `random`), and the wheel's
// entries keep the times they were built with.
//
//     SOURCE_DATE_EPOCH=<seconds> node snapshot.mjs <pyodide folder> <snapshot file> <wheel>
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";

const [folder, output, wheel] = process.argv.slice(2);
const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? 315532800) * 1000;
process.env.TZ = "UTC";
Date.now = () => epoch;
performance.now = () => 0;
const { loadPyodide } = await import(pathToFileURL(path.join(folder, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: folder + path.sep,
  _makeSnapshot: true,
  _sysExecutable: "./this.program", // not this script's path, which differs between checkouts
  env: { PYTHONHASHSEED: "0", LANG: "C.UTF-8", _: "./this.program" },
});
// (Pyodide's standard library holds sources: each module is compiled when it is
// first imported. Those imported here are compiled once, at build time.)
pyodide.runPython(`
import argparse, ast, base64, codecs, collections.abc, contextlib, dataclasses, functools, html
import importlib.util, io, itertools, json, keyword, logging, math, numbers, operator, platform
import random, re, reprlib, secrets, shutil, stat, string, subprocess, sysconfig, tarfile
import tempfile, types, typing, warnings, zipfile
import pyodide._package_loader

sysconfig.get_path("purelib")  # where wheels go: worked out once, here
random.seed(0)  # not from the builder's entropy: the snapshot is the same on every build
`);
const memory = pyodide.makeMemorySnapshot();
fs.writeFileSync(output, zlib.gzipSync(memory, { level: 6 }));

// The wheel: unpacked in Pyodide's file system, compiled, zipped again.
pyodide.FS.writeFile("/tmp/in.whl", fs.readFileSync(wheel));
pyodide.runPython(`
import compileall, py_compile, zipfile
with zipfile.ZipFile("/tmp/in.whl") as source:
    source.extractall("/tmp/wheel")
compileall.compile_dir(
    "/tmp/wheel", quiet=1, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH
)
import os
with zipfile.ZipFile("/tmp/in.whl") as source, zipfile.ZipFile("/tmp/out.whl", "w") as target:
    for entry in source.infolist():
        target.writestr(entry, source.read(entry), zipfile.ZIP_DEFLATED)
    built = source.infolist()[0]  # each .pyc gets the time and mode its wheel's files have
    for folder, _, files in sorted(os.walk("/tmp/wheel")):
        for file in sorted(files):
            if file.endswith(".pyc"):
                full = os.path.join(folder, file)
                entry = zipfile.ZipInfo(os.path.relpath(full, "/tmp/wheel"), built.date_time)
                entry.external_attr = built.external_attr
                with open(full, "rb") as bytecode:
                    target.writestr(entry, bytecode.read(), zipfile.ZIP_DEFLATED)
`);
fs.writeFileSync(wheel, pyodide.FS.readFile("/tmp/out.whl"));
