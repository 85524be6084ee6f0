// Run by `python3 dev.py site` (with Node), two jobs for a fast first load:
//
// 1. Start Pyodide once, import the standard-library modules glassgrad uses,
//    and save the interpreter's memory, gzipped. The page starts from this
//    snapshot instead of starting Python from scratch.
// 2. Add bytecode for this Python (the site's, not the builder's) to
//    glassgrad's wheel, beside its sources, so that the page imports it
//    without compiling it first.
//
//     node snapshot.mjs <pyodide folder> <snapshot file> <wheel>
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";

const [folder, output, wheel] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(folder, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: folder + path.sep, _makeSnapshot: true });
// (Pyodide's standard library holds sources: each module is compiled when it is
// first imported. Those imported here are compiled once, at build time.)
pyodide.runPython(`
import argparse, ast, base64, codecs, collections.abc, contextlib, dataclasses, functools, html
import importlib.util, io, itertools, json, keyword, logging, math, numbers, operator, platform
import random, re, reprlib, secrets, shutil, stat, string, subprocess, sysconfig, tarfile
import tempfile, types, typing, warnings, zipfile
import pyodide._package_loader

sysconfig.get_path("purelib")  # where wheels go: worked out once, here
`);
const memory = pyodide.makeMemorySnapshot();
fs.writeFileSync(output, zlib.gzipSync(memory, { level: 6 }));

// The wheel: unpacked in Pyodide's file system, compiled, zipped again.
pyodide.FS.writeFile("/tmp/in.whl", fs.readFileSync(wheel));
pyodide.runPython(`
import compileall, py_compile, zipfile
with zipfile.ZipFile("/tmp/in.whl") as source:
    source.extractall("/tmp/wheel")
    names = source.namelist()
compileall.compile_dir(
    "/tmp/wheel", quiet=1, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH
)
import os
with zipfile.ZipFile("/tmp/out.whl", "w", zipfile.ZIP_DEFLATED) as target:
    for name in names:
        target.write("/tmp/wheel/" + name, name)
    for folder, _, files in sorted(os.walk("/tmp/wheel")):
        for file in sorted(files):
            if file.endswith(".pyc"):
                full = os.path.join(folder, file)
                target.write(full, os.path.relpath(full, "/tmp/wheel"))
`);
fs.writeFileSync(wheel, pyodide.FS.readFile("/tmp/out.whl"));
