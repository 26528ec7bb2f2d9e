"""diplo in the field's standards: IATI 2.03 activity XML and CAMEO/PLOVER event rows."""
