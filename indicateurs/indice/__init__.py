"""The digital fragility index: indicator values, computed and published results, outlines."""
