from setuptools import find_packages, setup

#: The library of staging services (taskgraph_staging.interfaces.library); its tests need it too.
LIBRARY = [
    "sqlalchemy>=2.0,<3",
    "boto3>=1.26,<2",
    "moto[server]>=5.0,<6",
    "psycopg[binary]>=3.1,<4",
]

setup(
    name="taskgraph-staging",
    version="0.1.0",
    description="Run a project's real release automation as a staging release on Try",
    long_description=open("README.rst").read(),
    long_description_content_type="text/x-rst",
    license="MPL-2.0",
    python_requires=">=3.9",
    packages=find_packages(include=["taskgraph_staging", "taskgraph_staging.*"]),
    package_data={"taskgraph_staging": ["model/data/*"]},
    install_requires=[
        "taskcluster-taskgraph>=24.0,<25",
        "mozilla-taskgraph>=5.0,<6",
        "mozilla-version>=4.0,<6",
        "pyyaml>=6.0,<7",
        "requests>=2.25,<3",
        # Validates the staging release-promotion action's input against its schema.
        "jsonschema>=4.17,<5",
        # Hawk-signs the Ship-it release creation (already a dependency of taskcluster's client).
        "mohawk>=1,<2",
    ],
    extras_require={
        "test": [
            "pytest>=8,<10",
            "pytest-mock>=3.10,<4",
            # README's test command runs the suite on every core (-n auto).
            "pytest-xdist>=3.5,<4",
            "responses>=0.23,<1",
            "hypothesis>=6.80,<7",
            "scriptworker>=60,<70",
            "mercurial>=6.5,<8",
            # Checks the layer contracts of .importlinter (tests/test_layers.py, CI).
            "import-linter>=2.1,<3",
            *LIBRARY,
        ],
        "library": LIBRARY,
        "docs": [
            "sphinx>=7,<10",
            "sphinx-argparse>=0.4,<1",
        ],
    },
    entry_points={
        "console_scripts": ["taskgraph-staging=taskgraph_staging.interfaces.cli:main"],
    },
)
