"""Bundled event files, installed as the package ``diplo.examples`` so `diplo demo` finds them."""
