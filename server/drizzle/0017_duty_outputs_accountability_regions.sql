-- placeholder: filled by the region migration of this group
SELECT 1;
