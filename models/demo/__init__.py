"""A generated, believable school district for demos, tests and benchmarks."""

from models.demo.generator import DemoOptions, DemoSummary, generate_demo

__all__ = ["DemoOptions", "DemoSummary", "generate_demo"]
