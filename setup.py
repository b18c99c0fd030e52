"""Builds the perfleak Python package (python/) with the project's own CMake.

    pip install --no-build-isolation --break-system-packages .

No network and no build isolation: setuptools, wheel, cmake, ninja, pybind11-dev and
python3-dev come from Debian (scripts/setup installs them). The extension is the CMake target
perfleak_python (python/CMakeLists.txt), built in Release with only what it needs.
"""

import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


def project_version():
    for line in (ROOT / "include/perfleak/version.h").read_text().splitlines():
        if "kVersion" in line:
            return line.split('"')[1]
    raise RuntimeError("no kVersion in include/perfleak/version.h")


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = pathlib.Path(self.build_temp).resolve() / "cmake"
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build_dir), *generator,
                        "-DCMAKE_BUILD_TYPE=Release", "-DPERFLEAK_PYTHON=ON",
                        "-DPERFLEAK_BUILD_TESTS=OFF", "-DPERFLEAK_BENCH=OFF",
                        "-DPERFLEAK_INSTALL=OFF", f"-DPython3_EXECUTABLE={sys.executable}"],
                       check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "perfleak_python",
                        "-j", jobs], check=True)
        built = next((build_dir / "python" / "perfleak").glob("_native*.so"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(
    name="perfleak",
    version=project_version(),
    description="Windows Performance Monitor logs (.blg, PDH-CSV/TSV) as pandas frames, "
                "and perfleak's leak analysis as data",
    python_requires=">=3.9",
    packages=["perfleak"],
    package_dir={"": "python"},
    ext_modules=[CMakeExtension("perfleak._native")],
    cmdclass={"build_ext": CMakeBuild},
    install_requires=["numpy"],
    extras_require={"pandas": ["pandas"]},
    zip_safe=False,
)
