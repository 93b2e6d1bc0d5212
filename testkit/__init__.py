"""Test support (development only): the fixture sites and their expected records, the local mirror of
every registered source's hosts, generated articles, the reliability campaign. Runtime packages never
import it."""
