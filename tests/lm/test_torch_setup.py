"""hybrid.lm.torch_setup: what it reads of the machine."""
from __future__ import annotations


def test_cpu_description_names_the_model_and_the_vector_extensions(tmp_path):
    from hybrid.lm.torch_setup import cpu_description

    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse2 avx2 fma\n\n"
                    "processor\t: 1\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse2 avx2 fma avx512f\n")
    assert cpu_description(str(info)) == "AMD EPYC, avx2, avx512f"
    info.write_text("processor\t: 0\nFeatures\t: fp asimd\n")  # an arm CPU lists no model name
    assert cpu_description(str(info)) == "unknown CPU, asimd"
    assert cpu_description(str(tmp_path / "missing")) == "unknown CPU"
