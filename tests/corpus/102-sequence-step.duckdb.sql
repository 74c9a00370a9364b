SELECT '0,5,10,15,20' AS up, '3,2,1' AS down, COUNT(*) AS flows FROM flows
