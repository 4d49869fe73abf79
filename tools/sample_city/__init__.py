"""Builds the UrbanGrid sample cities (gis-data/helsinki, gis-data/testcity); entry point tools/build-sample-city."""
