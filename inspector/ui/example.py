"""The token shown on first launch, with its secret, so the first screen teaches the layout:
a verified HS256 signature, and findings to read. Like jwt.io's example it has no ``exp``: it
stays valid (the first impression is the app working, not a red "expired" banner), and its
one medium finding, "No expiry", says why a real token should not be like it; it also carries
an e-mail address (personal data). The secret is 43 bytes, so no short-secret finding; it is
public, being printed here: never use it for anything."""

EXAMPLE_SECRET = "example-secret-for-jwt-inspector-0123456789"

EXAMPLE_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSBMb3ZlbGFjZSIsImVtYWlsIjoiYWRhQGV4YW1wbGUuY29t"
    "Iiwicm9sZSI6ImFkbWluIiwiaWF0IjoxNzE2MjM1NDIyfQ"
    ".qiqn17XZQiFErFyqA2rberNhuPe8iHM9ZUZarQc_PmQ"
)
