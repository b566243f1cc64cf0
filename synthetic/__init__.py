"""The synthetic world the demo and the validation tests run against: a corpus generator with planted effects,
the ``t.me/s`` page renderer, a local preview server that serves those pages, and the demo that ties them together."""
